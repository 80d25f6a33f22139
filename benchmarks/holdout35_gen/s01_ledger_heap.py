"""h35-01: ECS Fargate Java service leaks heap for 12 h (unbounded snapshot cache) until tasks thrash
in GC and are OOM-killed; the public ALB's target 5XX alarm fires. Slow burn, alarm on the front."""
import datetime as dt

from .lib import Scenario, alb_dims, ecs_dims, rds_dims, clamp

FILE = "h35-01-ledger-ecs-heap-leak.yaml"
CLUSTER, SVC = "payments", "ledger-api"
ALB = "app/payments-public/7c3e9a1f2b4d6e80"
META = {
    "file": FILE, "region": "eu-west-1", "alarm": "payments-public-target-5xx",
    "category": "memory_exhaustion", "resources": ["payments/ledger-api", "ledger-api"],
    "where": "front (public ALB)", "shape": "slow",
    "decoys": "fx-rates deploy in the same cluster 70 min before; steady IdempotencyKeyConflict ERRORs "
              "(409) and stale-FX WARNs all 12 h; ledger-db connection dips at each task kill",
    "story": (
        "ledger-api (Spring Boot on Fargate, 2 GiB tasks) keeps an `AccountSnapshotCache` that never "
        "evicts: its periodic stats line shows entries growing from ~0.9 M to ~3.2 M with evictions=0, and "
        "the service MemoryUtilization climbs for the whole 12 h window, faster as the morning traffic "
        "grows. From ~85 min ago the tasks reach the heap ceiling one after another: G1 full-GC pauses of "
        "2-4 s, `java.lang.OutOfMemoryError: Java heap space` thrown from `AccountSnapshotCache.put`, "
        "then ECS stops the task with `OutOfMemoryError: Container killed due to memory usage` (exit "
        "137) and starts a fresh one at ~31 %. The ALB 5XX and latency track the thrashing task. The "
        "fx-rates deployment lands in the middle of this but fx-rates is healthy and ledger-api's errors "
        "are all heap exhaustion; the 409 idempotency errors and stale-FX warnings run at the same rate "
        "all night. Label: memory_exhaustion on the ledger-api service (the ALB is only the front)."),
}


def build():
    now = dt.datetime(2026, 3, 12, 11, 20, tzinfo=dt.timezone.utc)
    s = Scenario("h35-01-ledger-ecs-heap-leak", "eu-west-1",
                 "Payments API returning 5xx and timeouts; public ALB target 5XX alarm paging.",
                 seed=3501, now=now, window_h=12, tz_offset_h=0)
    s.resource("ecs", f"{CLUSTER}/{SVC}", cluster=CLUSTER, service=SVC, launch_type="FARGATE",
               cpu=1024, memory=2048, desired_count=4, task_definition="ledger-api:87",
               java_opts="-XX:MaxRAMPercentage=80 -Xlog:gc", log_groups=["/ecs/ledger-api"])
    s.resource("ecs", f"{CLUSTER}/fx-rates", cluster=CLUSTER, service="fx-rates", launch_type="FARGATE",
               cpu=256, memory=512, desired_count=2, task_definition="fx-rates:41", log_groups=["/ecs/fx-rates"])
    s.resource("alb", ALB, name="payments-public", scheme="internet-facing",
               target_groups=["ledger-api-tg"])
    s.resource("rds", "ledger-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=500)

    mins = list(range(s.start, 0, 60))
    req = {t: s.diurnal(t, low=0.28, peak=14) * 2600 * (1 + s.g(0, 0.04)) for t in mins}
    # per-task state; thrash start targets (relative s) for the four original tasks
    targets = [-85 * 60, -63 * 60, -46 * 60, -27 * 60]
    thr_len = [27 * 60, 28 * 60, 29 * 60, 40 * 60]
    cum = {}
    acc = 0.0
    for t in mins:
        acc += req[t] / 4.0
        cum[t] = acc
    k = (93.0 - 52.0) / cum[targets[0]]
    tasks = []
    for i, tt in enumerate(targets):
        tasks.append({"id": s.hexid(32), "m0": 93.0 - k * cum[tt], "c0": 0.0, "start": s.start - 3600 * (30 + i),
                      "thrash": tt, "kill": tt + thr_len[i], "alive": True})
    mem, cpu, running, r5xx, e5xx, rt, unh = {}, {}, {}, {}, {}, {}, {}
    spawned = []
    kills = []
    thrash_frac = {}
    for t in mins:
        alive = [x for x in tasks + spawned if x["alive"] and x.get("up", s.start - 1) <= t]
        for x in list(alive):
            if x.get("kill") is not None and t >= x["kill"]:
                x["alive"] = False
                kills.append((x["kill"], x))
                nid = {"id": s.hexid(32), "m0": 31.0 + s.g(0, 1), "c0": cum[t], "start": t + 95,
                       "up": t + 120, "thrash": None, "kill": None, "alive": True}
                spawned.append(nid)
        alive = [x for x in tasks + spawned if x["alive"] and x.get("up", s.start - 1) <= t]
        ms, cs, fail, slow = [], [], 0.0, 0.0
        per = req[t] / max(len(alive), 1)
        for x in alive:
            base = x["m0"] + k * (cum[t] - x["c0"]) * (4.0 / max(len(alive), 1)) ** 0
            if x["thrash"] is not None and t >= x["thrash"]:
                p = (t - x["thrash"]) / float(x["kill"] - x["thrash"])
                m = 93.0 + 6.6 * p + s.g(0, 0.3)
                ff = 0.02 + 0.16 * p
                fail += per * ff
                slow += 1.0 + 2.6 * p
                c = 88 + 10 * p + s.g(0, 2)
                thrash_frac[(x["id"], t)] = ff
            else:
                m = min(base, 92.5) + s.g(0, 0.25)
                c = 22 + 26 * s.diurnal(t, 0.3) + s.g(0, 2.5)
            ms.append(clamp(m, 0, 100))
            cs.append(clamp(c, 1, 100))
        running[t] = len(alive)
        mem[t] = sum(ms) / len(ms)
        cpu[t] = sum(cs) / len(cs)
        burst = sum(s.rng.randint(30, 70) for kt, _ in kills if t <= kt < t + 60)
        r5xx[t] = s.pois(0.6) + s.pois(fail)
        e5xx[t] = s.pois(0.1) + burst
        base_rt = 0.085 + 0.02 * s.diurnal(t) + s.g(0, 0.004)
        rt[t] = base_rt + (slow / max(len(alive), 1)) * 0.9
        unh[t] = (4 - len(alive)) + (1 if any(x["thrash"] is not None and t >= x["thrash"] + 600 for x in alive)
                                     and s.rng.random() < 0.5 else 0)

    ecs = ecs_dims(CLUSTER, SVC)
    s.metric("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: cpu[t])
    s.metric("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: mem[t])
    s.metric("ECS/ContainerInsights", "RunningTaskCount", ecs, "Count", lambda t: running[t], nd=0)
    fx = ecs_dims(CLUSTER, "fx-rates")
    dep = -70 * 60
    s.metric("AWS/ECS", "CPUUtilization", fx, "Percent",
             lambda t: clamp(6 + s.g(0, 1.2) + (28 if dep <= t < dep + 240 else 0), 0, 100))
    s.metric("AWS/ECS", "MemoryUtilization", fx, "Percent",
             lambda t: 41 + s.g(0, 0.8) - (12 if dep <= t < dep + 600 else 0))
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds", lambda t: rt[t])
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5xx[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: e5xx[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", a, "Count",
             lambda t: s.pois(req[t] * 0.006 + 3), nd=0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 4 - unh[t], nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count", lambda t: unh[t], nd=0)
    d = rds_dims("ledger-db")
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: 14 + 16 * s.diurnal(t) + s.g(0, 1.5))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count",
             lambda t: running[t] * 20 + 14 + s.rng.randint(-2, 2), nd=0)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 311.4e9 - (t - s.start) * 2.1e4 + s.g(0, 2e7), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0011 + abs(s.g(0, 0.0002)), nd=5)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: 5.9e9 + s.g(0, 5e7), nd=0)

    # ---- logs ---------------------------------------------------------------------------------
    def sb(t, level, thread, logger, msg):
        return (t, f"{s.iso(t)} {level:>5} 1 --- [ledger-api] [{thread:>15}] {logger:<40} : {msg}")

    log_start = -6 * 3600
    all_tasks = tasks + spawned
    threads = [f"nio-8080-exec-{i}" for i in range(1, 41)]
    for x in all_tasks:
        ev = []
        t_begin = max(s.start, x["start"])
        t_end = min(x["kill"], 0) if x["kill"] is not None else 0
        if x["start"] > s.start:
            ev.append(sb(x["start"] + 3.1, "INFO", "main", "c.a.ledger.LedgerApplication",
                         "Starting LedgerApplication v3.41.2 using Java 21.0.4 with PID 1"))
            ev.append(sb(x["start"] + 14.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                         "Tomcat started on port 8080 (http) with context path '/'"))
            ev.append(sb(x["start"] + 15.2, "INFO", "main", "c.a.ledger.LedgerApplication",
                         "Started LedgerApplication in 12.114 seconds (process running for 13.02)"))
        t = t_begin - (t_begin % 300) + 300
        entries = 0
        while t < t_end:
            m_cum = cum[max(mins[0], t - (t % 60))] - x["c0"]
            entries = int((900000 if x in tasks else 0) + m_cum * 10.1)
            ev.append(sb(t + s.rng.random(), "INFO", "scheduling-1", "c.a.l.cache.AccountSnapshotCache",
                         f"stats entries={entries:,} hitRate={0.29 + s.g(0, 0.01):.2f} evictions=0 "
                         f"approxBytes={entries * 476:,}"))
            ev.append(sb(t + 7 + s.rng.random(), "WARN", "scheduling-1", "c.a.ledger.fx.FxRateProvider",
                         f"stale FX rate for {s.pick(['ARS', 'NGN', 'EGP', 'TRY'])} (age {3600 + s.rng.randint(1, 900)}s), "
                         "using last published rate"))
            t += 300
        gc_id = s.rng.randint(4000, 9000)
        t = max(t_begin, log_start)
        while t < t_end:
            heap = clamp(mem.get(t - (t % 60), 50) * 16.2, 400, 1630)
            thrash = x["thrash"] is not None and t >= x["thrash"]
            if thrash:
                gc_id += 1
                ev.append((t, f"[{s.stamp(t, '%Y-%m-%dT%H:%M:%S')}.{s.rng.randint(100, 999)}+0000][gc] GC({gc_id}) "
                              f"Pause Full (G1 Compaction Pause) 1637M->{1600 + s.rng.randint(10, 34)}M(1638M) "
                              f"{2100 + s.rng.random() * 2200:.3f}ms"))
                ev.append(sb(t + 4, "WARN", "scheduling-2", "c.a.l.health.HeapWatchdog",
                             f"heap after GC {97 + s.rng.random() * 2.6:.1f}% of max (1638 MB), full GCs last minute: "
                             f"{s.rng.randint(9, 19)}"))
                t += 20 + s.rng.random() * 15
            else:
                gc_id += 1
                before = heap * (0.9 + 0.1 * s.rng.random())
                ev.append((t, f"[{s.stamp(t, '%Y-%m-%dT%H:%M:%S')}.{s.rng.randint(100, 999)}+0000][gc] GC({gc_id}) "
                              f"Pause Young (Normal) (G1 Evacuation Pause) {int(before)}M->{int(before * 0.86)}M(1638M) "
                              f"{9 + s.rng.random() * 14:.3f}ms"))
                t += 90 + s.rng.random() * 60
        for rt_ in s.times(lambda t: 3.2 * s.diurnal(t), start=max(t_begin, log_start), end=t_end):
            thrash = x["thrash"] is not None and rt_ >= x["thrash"]
            p = (rt_ - x["thrash"]) / float(x["kill"] - x["thrash"]) if thrash else 0
            th = s.pick(threads)
            if thrash and s.rng.random() < 0.08 + 0.3 * p:
                ev.append(sb(rt_, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                             "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                             "[Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n\n"
                             "java.lang.OutOfMemoryError: Java heap space\n"
                             "\tat java.base/java.util.HashMap.resize(HashMap.java:710)\n"
                             "\tat java.base/java.util.HashMap.putVal(HashMap.java:635)\n"
                             "\tat java.base/java.util.HashMap.put(HashMap.java:618)\n"
                             "\tat com.acme.ledger.cache.AccountSnapshotCache.put(AccountSnapshotCache.java:58)\n"
                             "\tat com.acme.ledger.service.BalanceService.snapshot(BalanceService.java:131)\n"
                             "\tat com.acme.ledger.api.PostingController.post(PostingController.java:77)"))
                continue
            acct = f"acc_{s.rng.randint(10 ** 7, 10 ** 8 - 1)}"
            if s.rng.random() < 0.7:
                ms_ = int(40 + s.rng.random() * 60 + (1800 + 2000 * p if thrash else 0))
                ev.append(sb(rt_, "INFO", th, "c.a.ledger.api.PostingController",
                             f"posted journal entry je_{s.alnum(12, '0123456789abcdef')} account={acct} "
                             f"amount={s.rng.randint(100, 900000) / 100:.2f} EUR in {ms_} ms"))
            else:
                ev.append(sb(rt_, "INFO", th, "c.a.ledger.api.BalanceController",
                             f"balance account={acct} currency=EUR source=snapshot"))
        for et in s.times(lambda t: 0.8, start=max(t_begin, log_start), end=t_end):
            ev.append(sb(et, "ERROR", s.pick(threads), "c.a.ledger.api.ApiExceptionHandler",
                         f"Posting rejected (409): IdempotencyKeyConflictException: key ik_{s.hexid(16)} "
                         "already used with a different payload"))
        s.log("/ecs/ledger-api", f"ledger-api/ledger-api/{x['id']}", ev)

    ev = []
    for kt, x in kills:
        ev.append((kt + 2.5, '{"version":"0","detail-type":"ECS Task State Change","source":"aws.ecs",'
                   f'"region":"eu-west-1","detail":{{"clusterArn":"arn:aws:ecs:eu-west-1:381492650173:cluster/payments",'
                   f'"taskArn":"arn:aws:ecs:eu-west-1:381492650173:task/payments/{x["id"]}","group":"service:ledger-api",'
                   '"lastStatus":"STOPPED","desiredStatus":"STOPPED","stopCode":"EssentialContainerExited",'
                   '"stoppedReason":"OutOfMemoryError: Container killed due to memory usage",'
                   '"containers":[{"name":"ledger-api","exitCode":137,"lastStatus":"STOPPED"}]}}'))
    for t in (dep + 40, dep + 95):
        ev.append((t, '{"version":"0","detail-type":"ECS Task State Change","source":"aws.ecs","region":"eu-west-1",'
                   '"detail":{"group":"service:fx-rates","lastStatus":"STOPPED","desiredStatus":"STOPPED",'
                   '"stopCode":"ServiceSchedulerInitiated","stoppedReason":"Scaling activity initiated by (deployment '
                   'ecs-svc/4471029384712)","containers":[{"name":"fx-rates","exitCode":143}]}}'))
    s.log("/aws/events/ecs-task-state", "payments", ev)

    fxev = []
    for t in range(-6 * 3600, 0, 60):
        fxev.append((t + s.rng.random() * 5, f"{s.iso(t)} INFO  fx-rates  published 168 rates source=ecb-mirror"))
    fxev.append((dep + 60, f"{s.iso(dep + 60)} INFO  fx-rates  starting fx-rates 2.9.0 (task def fx-rates:41)"))
    s.log("/ecs/fx-rates", f"fx-rates/fx-rates/{s.hexid(32)}", fxev)

    s.change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates:41",
             "github-actions-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/fx-rates",
             "github-actions-deployer")

    # alarm: first minute with 3 consecutive breaching points
    thr, when = 40, None
    for i in range(2, len(mins)):
        if all(r5xx[mins[j]] > thr for j in (i - 2, i - 1, i)):
            when = mins[i] + 60
            break
    s.alarm("payments-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Sum", 60, 3,
            thr, "GreaterThanThreshold", "ALARM",
            f"Threshold Crossed: 3 datapoints were greater than the threshold ({float(thr)}).", when or -1500,
            description="Public payments ALB: targets returning 5xx")
    s.alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", d, "Average", 300, 3, 80,
            "GreaterThanThreshold", "OK", "Threshold Crossed: 3 datapoints were not greater than the threshold (80.0).",
            -200000)
    s.expect = {"alarm": "payments-public-target-5xx",
                "root_cause": {"category": "memory_exhaustion", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": ecs},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                               "dimensions": a}]}
    return s
