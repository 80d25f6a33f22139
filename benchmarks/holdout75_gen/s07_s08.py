"""h75-07 (card-network adapter heap grows with each BIN-table reload until tasks are OOM-killed)
and h75-08 (dispute orchestrator errors because the scoring function hits its reserved
concurrency at the morning peak)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import jline
from .common75 import (alb_pack, biz, const, ecs_pack, emit, every, lambda_logs, lambda_pack, new,
                       plus, stacktrace_java, tid)


def build07():
    sc = new(7, "card-network-adapter-memory", "Card network adapter memory alarm; acquirer "
             "reports intermittent 502s.", "ca-central-1", "2026-03-12T13:10:00")
    cl, svc, other, lb = "cards", "network-adapter", "token-service", "app/cards-edge/9be1f04c7a2d6e35"
    first_oom, decoy = -1560, -1800
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=2048,
                memory=4096, java_opts="-Xmx3g -XX:+UseG1GC")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=3, cpu=1024,
                memory=2048)
    sc.resource("alb", lb, name="cards-edge", scheme="internet-facing")
    # heap retained grows by one BIN table copy at every hourly reload (:00)
    reloads = [t for t in range(-21600, 0, 60) if sc.at(t).minute == 0]

    def mem(t):
        n = sum(1 for x in reloads if x <= t)
        v = 52 + 7.2 * n
        return min(99.0, v) if t < first_oom else 92.5 + 6 * ((t - first_oom) % 300) / 300
    oomy = lambda t: t >= first_oom
    ecs_pack(sc, cl, svc, lambda t: 31 + 20 * max(0.0, (mem(t) - 85) / 14) + 12 * oomy(t), mem,
             lambda t: 4 - (1 if oomy(t) and int(t) % 300 < 90 else 0))
    ecs_pack(sc, cl, other, lambda t: 22 + bump(t, decoy, decoy + 240, 15), const(47.0),
             lambda t: 3 + 3 * (decoy <= t < decoy + 240))
    req = biz(sc, 1500, peak=15.0)
    alb_pack(sc, lb, plus(req, lambda t: bump(t, -9000, -8400, 900)), lambda t: 0.4 + 14 * oomy(t),
             lambda t: 0.09 + 0.12 * oomy(t), 4, elb5xx=lambda t: 22 * oomy(t),
             unhealthy=lambda t: (1 if oomy(t) and int(t) % 300 < 90 else 0))
    sc.alarm("network-adapter-memory-high", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": cl, "ServiceName": svc}, "Average", 60, 3, 90,
             "GreaterThanThreshold", "Card network adapter memory")
    sc.alarm("cards-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 300, 1, 50, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-20000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
             "octopus-cards"),
            (decoy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "token-service:91", "octopus-cards"),
            (decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
             "octopus-cards")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    group = f"/ecs/{svc}"
    streams = [f"{svc}/{svc}/{tid(sc)}" for _ in range(4)]
    replacements = [f"{svc}/{svc}/{tid(sc)}" for _ in range(12)]
    live = list(streams)

    def j(t, level, logger, msg, **kw):
        o = {"@timestamp": sc.iso(t), "@version": "1", "message": msg, "logger_name": logger,
             "thread_name": kw.pop("thread", f"iso-worker-{r.randint(1, 64)}"), "level": level,
             "level_value": {"INFO": 20000, "WARN": 30000, "ERROR": 40000}[level]}
        o.update(kw)
        return jline(o)
    pick = lambda t: r.choice(live)
    emit(sc, group, pick, const(3.0), lambda t: j(
        t, "INFO", "c.n.cards.iso.AuthForwarder", f"0110 rc=00 stan={r.randint(100000, 999999)} "
        f"scheme={r.choice(['VISA', 'MC', 'INTERAC'])} rtt_ms={r.randint(60, 220)}"), end=first_oom)
    emit(sc, group, pick, const(0.6), lambda t: j(
        t, "WARN", "c.n.cards.iso.Emv", "unknown EMV tag 9F6E in DE55, ignoring"), end=first_oom)
    for t in reloads:
        if t < LOG_FROM:
            continue
        n = sum(1 for x in reloads if x <= t)
        for s in live:
            sc.log(group, s, t + r.uniform(1, 4), j(
                t, "INFO", "c.n.cards.bin.BinTableLoader", f"BIN table reloaded: 412,880 ranges "
                f"(generation {n}); previous generation retained by RoutingCache", thread="bin-reload"))
    every(sc, group, streams[0], 60, lambda t: j(
        t, "WARN" if mem(t) > 85 else "INFO", "c.n.cards.ops.JvmStats",
        f"heap used {min(2.98, 3 * mem(t) / 100):.2f} GiB / 3.00 GiB after GC; G1 old gen "
        f"{min(99, int(mem(t) + 1))}%", thread="jvm-stats"), start=LOG_FROM, end=first_oom)
    k = 0
    t = first_oom
    while t < 0:
        victim = live[k % 4]
        oom = stacktrace_java("java.lang.OutOfMemoryError", "Java heap space", [
            "java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
            "c.n.cards.bin.BinRange.<init>(BinRange.java:41)",
            "c.n.cards.bin.BinTableLoader.parse(BinTableLoader.java:118)"])
        for dt in (0.0, 6.0, 11.0):
            sc.log(group, victim, t - 40 + dt, j(t - 40 + dt, "ERROR", "c.n.cards.iso.AuthForwarder",
                   "Unhandled exception in ISO8583 pipeline", stack_trace=oom))
        sc.log(group, victim, t - 25, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        live[k % 4] = replacements[k % 12]
        sc.log(group, live[k % 4], t + 45, j(t + 45, "INFO", "c.n.cards.NetworkAdapterApplication",
               "Started NetworkAdapterApplication in 21.4 seconds", thread="main"))
        k += 1
        t += r.uniform(70, 110)
    emit(sc, group, pick, const(2.0), lambda t: j(
        t, "INFO", "c.n.cards.iso.AuthForwarder", f"0110 rc=00 stan={r.randint(100000, 999999)} "
        f"scheme={r.choice(['VISA', 'MC', 'INTERAC'])} rtt_ms={r.randint(60, 240)}"), start=first_oom)
    sc.expect = {"alarm": "network-adapter-memory-high",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    sc.meta = dict(front="origin", services="ECS Fargate (Java, JSON logback), ALB",
                   decoys=f"`{other}` rolled out 4 min before the first OOM; EMV tag warnings all "
                          "day; CPU rising with GC pressure; ALB request burst 2.5 h earlier; "
                          "a second alarm on ALB 5XX",
                   story=(
        f"`{svc}` memory climbs in a staircase: every hourly BIN-table reload adds ~7 % because the "
        "previous generation stays referenced by RoutingCache (the loader says so). Past 90 % the "
        "JVM reports old gen near full, and from -26 min tasks die with `java.lang.OutOfMemoryError"
        ": Java heap space` one after another, ALB 502s and UnHealthyHostCount following. The "
        f"`{other}` roll-out just before the first kill is unrelated; the service itself was last "
        "deployed 5.5 h ago and has been leaking since."))
    return sc


LOG_FROM = -10800


def build08():
    sc = new(8, "dispute-orchestrator-errors", "Dispute orchestrator failing chargeback "
             "submissions during the morning peak.", "eu-west-1", "2026-03-16T09:40:00")
    caller, fn = "dispute-orchestrator", "chargeback-scorer"
    onset, deploy = -1380, -1920
    sc.resource("lambda", caller, runtime="nodejs20.x", timeout=29, memory_size=512)
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=3008,
                reserved_concurrency=20)
    inv = lambda t: 520 + 880 * ramp(t, -21600, -600) + 40 * ramp(t, -600, 0)
    dur = const(880.0)
    demand = lambda t: inv(t) * dur(t) / 60000.0
    served = lambda t: min(inv(t), 20 * 60000.0 / dur(t) * 0.99)
    thr = lambda t: max(0.0, inv(t) - served(t)) * (t >= onset)
    lambda_pack(sc, fn, lambda t: served(t) if t >= onset else inv(t), const(0.0), dur,
                conc=lambda t: min(20.0, demand(t)), thr=thr, conc_cap=20.0)
    cerr = lambda t: 0.0 if t < onset else thr(t) * 0.93
    lam = lambda_pack(sc, caller, inv, cerr, lambda t: 1010 - 700 * (t >= onset) * 0.1)
    sc.alarm("dispute-orchestrator-errors", "AWS/Lambda", "Errors", {"FunctionName": caller},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Dispute orchestrator failures")
    sc.alarm("dispute-orchestrator-duration", "AWS/Lambda", "Duration", {"FunctionName": caller},
             "Average", 300, 2, 5000, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", fn, "jenkins-disputes"),
            (deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", caller, "jenkins-disputes"),
            (deploy + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             caller, "jenkins-disputes")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng

    def cbody(ll, t, rid, is_err, cold):
        case = f"DSP-{r.randint(10 ** 6, 10 ** 7)}"
        lines = [(0.005, ll.fmt(t, rid, "INFO", f"received dispute {case} reason_code="
                                f"{r.choice(['10.4', '13.1', '4837', '4853'])} amount={r.uniform(5, 900):.2f}"))]
        if r.random() < 0.02:
            lines.append((0.2, ll.fmt(t, rid, "WARN", f"evidence upload for {case} took "
                                      f"{r.randint(2100, 4200)} ms (s3 multipart)")))
        if is_err:
            err = {"errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded.",
                   "code": "TooManyRequestsException", "message": "Rate Exceeded.",
                   "$metadata": {"httpStatusCode": 429, "requestId": sc.uuid(), "attempts": 3,
                                 "totalRetryDelay": r.randint(180, 420)},
                   "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
                   "stack": ["TooManyRequestsException: Rate Exceeded.",
                             "    at de_TooManyRequestsExceptionRes (/var/runtime/node_modules/@aws-sdk/"
                             "client-lambda/dist-cjs/index.js:3187:21)",
                             "    at async scoreDispute (/var/task/src/score.mjs:22:17)",
                             "    at async Runtime.handler (/var/task/index.mjs:48:19)"]}
            lines.append((0.45, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + json.dumps(err))))
            return {"dur": r.uniform(280, 460), "lines": lines}
        lines.append((0.95, ll.fmt(t, rid, "INFO", f"{case} scored {r.betavariate(2, 5):.2f}; "
                                   "submitted to scheme queue")))
        return {"dur": r.gauss(1010, 80), "lines": lines}
    lambda_logs(sc, caller, "nodejs20.x", 512, 29, lam["inv"], lam["err"], cbody, per_min=3.0,
                retire=[deploy + 15])

    def sbody(ll, t, rid, is_err, cold):
        return {"dur": r.gauss(880, 70), "lines": [(0.86, ll.fmt(
            t, rid, "INFO", f"Scored chargeback model=cb-lgbm-v7 features=212 score="
            f"{r.betavariate(2, 5):.3f}"))]}
    served_list = [float(round(served(t) if t >= onset else inv(t))) for t in range(-21600, 0, 60)]
    lambda_logs(sc, fn, "dotnet8", 3008, 15, served_list, [0.0] * 360, sbody, per_min=2.0,
                max_envs=20, retire=[-15000])
    sc.expect = {"alarm": "dispute-orchestrator-errors",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (the calling function; origin is the throttled callee)",
                   services="Lambda (Node.js 20 caller, .NET 8 callee)",
                   decoys=f"code deploy of the caller `{caller}` 9 min before onset; evidence-upload "
                          "warnings all morning; an OK duration alarm on the caller",
                   story=(
        f"Morning dispute volume rises steadily (~520 to ~1,400 a minute). `{fn}` takes ~0.9 s a "
        "call and has reserved concurrency 20, so at about 1,350 a minute ConcurrentExecutions "
        "sits on 20 and Throttles start at -23 min. The caller logs "
        "`TooManyRequestsException: Rate Exceeded.` with Reason "
        "`ReservedFunctionConcurrentInvocationLimitExceeded` for every failure. The caller's own "
        "deploy nine minutes earlier ran without errors until the callee reached its ceiling; "
        "the callee's duration and error count never change."))
    return sc


BUILDERS = [build07, build08]
