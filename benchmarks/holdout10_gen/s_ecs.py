"""Scenarios 10, 17: ECS services behind ALBs (a bad SSM parameter value, a memory leak)."""
from __future__ import annotations

import json

import numpy as np

from .common import TS, Scn, ramp
from .infra import alb_metrics, ecs_metrics


def _spring(s: Scn, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{s.iso(t)} {level:>5} 1 --- [quote-engine] [{thread}] {logger:<40} : {msg}"


def h10_ssm_parameter() -> Scn:
    s = Scn(10, "quote-engine-ssm-param", "us-east-2",
            "quote-alb target 5XX alarm; brokers get 'Quote could not be generated'.", seed=1010,
            anchor="2026-03-20T15:00:00")
    rng = s.rng
    T = -2460                        # PutParameter
    R = T + 212                      # tasks pick the value up on their 5-minute refresh
    lb = "app/quote-alb/7f3e9c1d2b4a6e80"
    bad = ramp(R, 4)
    req = s.pois(125 * s.daily(0.25))
    t5 = s.pois(0.002 * req) + s.rng.binomial(req.astype(int), 0.58 * bad)
    rt = s.gauge(0.085, 0.01, lo=0.03) * (1 - 0.3 * bad)
    alb_metrics(s, lb, req, rt, t5, s.pois(np.full(len(TS), 0.05)), np.zeros(len(TS)), np.full(len(TS), 4.0))
    ecs_metrics(s, "pricing", "quote-engine", s.gauge(34, 3) * s.daily(0.2), s.gauge(61, 1.2))
    ecs_metrics(s, "pricing", "fx-rates", s.gauge(12, 2) + 9 * (TS >= -2900) * (TS < -2700), s.gauge(44, 1))

    tasks = [s.hexid(32) for _ in range(4)]
    streams: dict = {k: [] for k in tasks}
    frames = ["java.base/jdk.internal.math.FloatingDecimal.readJavaFormatString(FloatingDecimal.java:2054)",
              "java.base/jdk.internal.math.FloatingDecimal.parseDouble(FloatingDecimal.java:110)",
              "java.base/java.lang.Double.parseDouble(Double.java:792)",
              "com.acme.quote.pricing.DiscountPolicy.maxRate(DiscountPolicy.java:44)",
              "com.acme.quote.pricing.DiscountService.apply(DiscountService.java:71)",
              "com.acme.quote.api.QuoteController.create(QuoteController.java:58)"]
    for i, t0 in enumerate(TS):
        if t0 < -10800:
            continue
        for k in tasks:
            if rng.random() < 0.5:
                t = t0 + float(rng.uniform(0, 60))
                streams[k].append((t, _spring(s, t, "INFO", f"nio-8080-exec-{int(rng.integers(1, 20))}", "c.a.quote.api.QuoteController",
                                              f"Quote Q-{int(rng.integers(10**6, 10**7))} issued: {int(rng.integers(1, 9))} covers, "
                                              f"premium {rng.uniform(200, 9000):.2f} USD")))
            if rng.random() < 0.06:
                t = t0 + float(rng.uniform(0, 60))
                streams[k].append((t, _spring(s, t, "WARN", "scheduling-1", "c.a.quote.fx.FxClient",
                                              "fx-rates responded 429; serving cached rate (age 41s)")))
        n_err = int(t5[i])
        for t in np.sort(rng.uniform(t0, t0 + 60, n_err if bad[i] > 0 else 0)):
            k = tasks[int(rng.integers(0, 4))]
            thread = f"nio-8080-exec-{int(rng.integers(1, 20))}"
            trace = 'java.lang.NumberFormatException: For input string: "0,15"' + "".join(f"\n\tat {f}" for f in frames)
            streams[k].append((t, _spring(s, t, "ERROR", thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                          "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                          f"exception [Request processing failed: {trace.splitlines()[0]}] with root cause\n\n{trace}")))
    for k in tasks:                                   # parameter refresh every 5 minutes
        off = float(rng.uniform(0, 300))
        for t in np.arange(-10800 + off, 0, 300):
            streams[k].append((t, _spring(s, t, "INFO", "scheduling-1", "c.a.quote.config.ParameterRefresher",
                                          "Refreshed 14 parameters from /quote-engine/prod/ (1 changed)" if R - 300 < t <= R + 60
                                          else "Refreshed 14 parameters from /quote-engine/prod/ (0 changed)")))
        s.log("/ecs/quote-engine", f"ecs/quote-engine/{k}", streams[k])

    s.res("ecs", "pricing/quote-engine", cluster="pricing", service="quote-engine", task_definition="quote-engine:57",
          desired_count=4, cpu=1024, memory=2048, load_balancer="quote-alb", log_group="/ecs/quote-engine")
    s.res("ecs", "pricing/fx-rates", cluster="pricing", service="fx-rates", task_definition="fx-rates:23",
          desired_count=2, cpu=512, memory=1024)
    s.res("alb", lb, name="quote-alb", targets=["pricing/quote-engine"])
    s.change(-2950, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates:23",
             "codepipeline-fx")
    s.change(-2930, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pricing/fx-rates", "codepipeline-fx")
    s.change(T, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/quote-engine/prod/discounts/max-rate",
             "s.nowak")
    a = s.alarm("quote-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
                "Sum", 60, 3, 25, description="quote-alb target 5XX")
    s.set_expect(a["name"], "config_change", ["pricing/quote-engine", "quote-engine"],
                 [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    s.readme = dict(decoys="RegisterTaskDefinition + UpdateService on pricing/fx-rates 8 min before the parameter "
                           "change (with a small CPU bump); constant fx-rates 429 WARNs",
                    story="A pricing analyst raised the maximum discount in SSM Parameter Store (PutParameter "
                          "/quote-engine/prod/discounts/max-rate) and typed `0,15` instead of `0.15`. The service reloads "
                          "parameters every five minutes; from the next refresh every quote that applies a discount "
                          "fails with `java.lang.NumberFormatException: For input string: \"0,15\"` and a 500.")
    return s


def h17_ecs_memory_leak() -> Scn:
    s = Scn(17, "ws-gateway-memory-leak", "eu-west-1",
            "ws-alb ELB 5XX alarm; chat clients disconnecting and reconnecting.", seed=1017, anchor="2026-03-21T12:00:00")
    rng = s.rng
    lb = "app/ws-alb/2c4e6a8b0d1f3e57"
    n = len(TS)
    # per-task memory (% of the 1024 MiB hard limit): leak grows with connection count, task killed at 100 %
    conns = (700 + 1900 * (np.arange(n) / n) ** 1.6) * s.daily(0.05) + s.gauge(0, 30)
    # OOM kills accelerate: every kill sends a reconnect storm (and leaked listeners) to the surviving tasks
    plan = [-2580, -2160, -1710, -1380, -1020, -780, -540, -420]
    kills, tasks = [], []
    for k in range(3):
        times = [t + float(rng.uniform(0, 40)) for j, t in enumerate(plan) if j % 3 == k]
        ids = [s.hexid(32) for _ in range(len(times) + 1)]
        m = np.zeros(n)
        start, prev, level = float(rng.uniform(47, 55)), -21600.0, None
        for j, tk in enumerate(times + [None]):
            lo = start if j == 0 else float(rng.uniform(24, 28))
            for i in range(n):
                t = TS[i]
                if t < prev or (tk is not None and t >= tk):
                    continue
                m[i] = lo + (100 - lo) * (t - prev) / (tk - prev) if tk is not None else min(99.0, lo + 1.3 * (t - prev) / 60)
            if tk is not None:
                kills.append((tk, k, ids[j]))
                prev = tk
        tasks.append((np.clip(m + s.gauge(0, 0.4), 0, 100), ids))
    mem = np.mean([t[0] for t in tasks], axis=0)
    kill_min = np.zeros(n)
    for t, _k, _id in kills:
        kill_min[int((t + 21600) // 60)] += 1
    e5 = s.pois(0.2 + 60 * kill_min) + s.pois(np.convolve(kill_min, [0, 8, 4, 2], "same"))
    req = s.pois(conns * 0.9) + s.pois(np.convolve(kill_min, [0, 450, 200], "same"))
    unh = np.clip(np.convolve(kill_min, [1, 1], "same"), 0, 3)
    alb_metrics(s, lb, req, s.gauge(0.012, 0.002, lo=0.004), s.pois(np.full(n, 0.1)), e5, unh, 3 - unh)
    ecs_metrics(s, "realtime", "ws-gateway", s.gauge(28, 3) * s.daily(0.35, phase=-0.6), mem)
    ecs_metrics(s, "realtime", "presence-api", s.gauge(17, 2), s.gauge(39, 1))
    s.metric("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": "realtime", "ServiceName": "ws-gateway"},
             "Count", 3 - unh)

    streams = {}
    for k, (m, ids) in enumerate(tasks):
        for tid in ids:
            streams[tid] = []
    task_kill = {}
    for t, k, tid in kills:
        task_kill[tid] = t
    for k, (m, ids) in enumerate(tasks):
        cur_ix = 0
        for i, t0 in enumerate(TS):
            while cur_ix + 1 < len(ids) and task_kill.get(ids[cur_ix], 1e9) < t0:
                cur_ix += 1
                tstart = task_kill[ids[cur_ix - 1]] + 35
                streams[ids[cur_ix]].append((tstart, json.dumps({"level": 30, "time": int(s.dt(tstart).timestamp() * 1000), "pid": 1,
                                             "hostname": f"ip-10-0-{k + 1}-{int(rng.integers(10, 250))}.eu-west-1.compute.internal",
                                             "msg": "ws-gateway listening on :8080"})))
            tid = ids[cur_ix]
            if t0 < -10800:
                continue
            t = t0 + float(rng.uniform(0, 60))
            streams[tid].append((t, json.dumps({"level": 30, "time": int(s.dt(t).timestamp() * 1000), "pid": 1,
                                                "msg": "stats", "connections": int(conns[i] / 3 + rng.normal(0, 15)),
                                                "rooms": int(rng.integers(300, 700)), "heapUsedMB": int(m[i] * 8.4)})))
            if rng.random() < 0.25:
                t = t0 + float(rng.uniform(0, 60))
                streams[tid].append((t, json.dumps({"level": 40, "time": int(s.dt(t).timestamp() * 1000), "pid": 1,
                                                    "msg": "client sent malformed frame; closing", "code": 1007})))
            if m[i] > 80 and rng.random() < 0.3:
                t = t0 + float(rng.uniform(0, 60))
                streams[tid].append((t, "(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. "
                                        f"{int(rng.integers(11, 40))} message listeners added to [Socket]. Use "
                                        "emitter.setMaxListeners() to increase limit\n(Use `node --trace-warnings ...` to show "
                                        "where the warning was created)"))
    for tid, ev in streams.items():
        s.log("/ecs/ws-gateway", f"ws/ws-gateway/{tid}", ev)
    ev = []
    for t, k, tid in kills:
        detail = {"clusterArn": "arn:aws:ecs:eu-west-1:730335401123:cluster/realtime", "group": "service:ws-gateway",
                  "taskArn": f"arn:aws:ecs:eu-west-1:730335401123:task/realtime/{tid}", "lastStatus": "STOPPED",
                  "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
                  "containers": [{"name": "ws-gateway", "exitCode": 137,
                                  "reason": "OutOfMemoryError: Container killed due to memory usage"}]}
        ev.append((t + 2, json.dumps({"version": "0", "detail-type": "ECS Task State Change", "source": "aws.ecs",
                                      "region": "eu-west-1", "detail": detail}, separators=(",", ":"))))
    s.log("/aws/events/ecs-task-state", "ecs-events", ev)

    s.res("ecs", "realtime/ws-gateway", cluster="realtime", service="ws-gateway", task_definition="ws-gateway:112",
          desired_count=3, cpu=512, memory=1024, load_balancer="ws-alb", log_group="/ecs/ws-gateway")
    s.res("ecs", "realtime/presence-api", cluster="realtime", service="presence-api", task_definition="presence-api:40",
          desired_count=2, cpu=256, memory=512)
    s.res("alb", lb, name="ws-alb", targets=["realtime/ws-gateway"])
    s.change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "realtime/presence-api", "autoscaling-ops")
    a = s.alarm("ws-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1,
                30, description="ws-alb load balancer 5XX")
    s.set_expect(a["name"], "memory_exhaustion", ["realtime/ws-gateway", "ws-gateway"],
                 [("AWS/ECS", "MemoryUtilization", {"ClusterName": "realtime", "ServiceName": "ws-gateway"})])
    s.readme = dict(decoys="UpdateService on realtime/presence-api 50 min earlier; constant malformed-frame WARN lines",
                    story="ws-gateway leaks one socket 'message' listener per reconnect. With the morning rise in "
                          "connections the three tasks climb to their 1 GiB hard limit and are OOM-killed one after another "
                          "(exit 137, `OutOfMemoryError: Container killed due to memory usage`); every kill drops a third of "
                          "the websockets, the ALB returns 502s and clients reconnect in a storm. No change preceded it; the "
                          "leaky build has been live for two days.")
    return s


BUILDERS = [h10_ssm_parameter, h17_ecs_memory_leak]
