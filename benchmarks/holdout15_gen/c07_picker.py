"""h15-07: Spring Boot pick planner on ECS (logback JSON plus JVM unified GC lines) runs
out of heap on oversized waves; tasks exit with ExitOnOutOfMemoryError and restart.
Alarm: HealthyHostCount below 2 (LessThanThreshold) on the internal ALB."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, change, ramp, scenario
from .logfmt import logback

REGION = "eu-west-2"
CLUSTER, SERVICE = "fulfil-prd", "pick-planner"
LB = "app/int-ops-alb/2b4d6f8a0c1e3957"
TG = "targetgroup/pp-8080/7e9a1c3b5d2f4680"
TG_LBL = "targetgroup/lblprn-8080/0f2e4d6c8a1b3597"
WAVE_START, ONSET = -2650.0, -1800.0
HEAP = 1536

OOM_STACK = ("jakarta.servlet.ServletException: Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space\n"
             "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1104)\n"
             "\tat org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)\n"
             "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)\n"
             "\tat org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)\n"
             "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)\n"
             "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n"
             "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
             "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)\n"
             "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
             "\tat java.base/java.util.ArrayList.addAll(ArrayList.java:752)\n"
             "\tat com.northwind.fulfil.planner.wave.WaveAssembler.collectLines(WaveAssembler.java:142)\n"
             "\tat com.northwind.fulfil.planner.wave.WaveAssembler.assemble(WaveAssembler.java:88)\n"
             "\tat com.northwind.fulfil.planner.api.PlanController.plan(PlanController.java:51)\n"
             "\t... 48 common frames omitted")
LOCK_STACK = ("org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by another "
              "transaction (or unsaved-value mapping was incorrect) : [com.northwind.fulfil.planner.model.Tote#T-88213]\n"
              "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:325)\n"
              "\tat com.northwind.fulfil.planner.tote.ToteService.reserve(ToteService.java:77)\n"
              "Caused by: org.hibernate.StaleObjectStateException: Row was updated or deleted by another transaction "
              "(or unsaved-value mapping was incorrect) : [com.northwind.fulfil.planner.model.Tote#T-88213]\n"
              "\tat org.hibernate.persister.entity.AbstractEntityPersister.check(AbstractEntityPersister.java:2514)\n"
              "\t... 92 common frames omitted")


class Task:
    def __init__(self, ctx: Ctx, t0: float):
        self.s = Stream(f"/ecs/{SERVICE}", f"ecs/{SERVICE}/{ctx.hex(32)}")
        self.t0, self.end = t0, None
        self.thread = 0
        for k, (lg, msg) in enumerate([
                ("com.northwind.fulfil.planner.PickPlannerApplication",
                 "Starting PickPlannerApplication v3.9.4 using Java 21.0.2 with PID 1"),
                ("org.springframework.boot.web.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                ("com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
                 "Tomcat started on port 8080 (http) with context path '/'"),
                ("com.northwind.fulfil.planner.PickPlannerApplication",
                 f"Started PickPlannerApplication in {ctx.rng.uniform(13, 17):.3f} seconds (process running for "
                 f"{ctx.rng.uniform(17, 19):.3f})")]):
            ts = t0 + k * 3.4
            self.s.add(ts, logback(ctx, ts, "INFO", lg, msg, "main"))

    def thr(self, ctx: Ctx) -> str:
        return f"http-nio-8080-exec-{int(ctx.rng.integers(1, 40))}"


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 2, 3, 10, 20), utc_offset_h=0)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(10.0, 0.4)
    req = ctx.poisson(140 * shape * (1 + ctx.ar(0.05)))
    lbl_req = ctx.poisson(60 * shape)

    # per-second simulation of the three tasks' heap after the big waves start
    sec = np.arange(-21600, 0, 1.0)
    mem = np.zeros((3, len(sec)))
    healthy = np.ones((3, len(sec)))
    tasks, deaths = [], []
    cur = [Task(ctx, -18420 + 11 * k) for k in range(3)]
    tasks += cur
    grow = ramp(sec, WAVE_START, 600)
    level = np.array([55.0, 58.0, 53.0])
    rate = rng.uniform(0.06, 0.11, 3)
    down_until = np.full(3, -1e9)
    for j in range(len(sec)):
        ts = sec[j]
        for k in range(3):
            if ts < down_until[k]:
                mem[k, j], healthy[k, j] = np.nan, 0
                if ts >= down_until[k] - 150 and cur[k].end is not None:
                    cur[k] = Task(ctx, ts)               # replacement task booting, not yet healthy
                    tasks.append(cur[k])
                    level[k] = float(rng.uniform(40, 48))
                    rate[k] = float(rng.uniform(0.28, 0.5))
                if cur[k].end is None:
                    mem[k, j] = level[k]
                continue
            healthy[k, j] = 1
            level[k] += grow[j] * rate[k] * rng.uniform(0.5, 1.5) - (level[k] - 56) * 0.004 * (1 - grow[j])
            if level[k] >= 99.5:
                cur[k].end = ts
                deaths.append((ts, k, cur[k]))
                down_until[k] = ts + rng.uniform(190, 260)
                continue
            mem[k, j] = level[k] + rng.normal(0, 0.6)
    by_min = lambda a, f: np.array([f(a[:, i * 60:(i + 1) * 60]) for i in range(ctx.n)])
    h_min = by_min(healthy, lambda b: b.sum(axis=0).min())
    mem_avg = by_min(mem, lambda b: np.nanmean(b) if np.isfinite(b).any() else np.nan)
    running = by_min(healthy, lambda b: np.round(b.sum(axis=0).mean()))
    t5 = np.zeros(ctx.n)
    e5 = np.zeros(ctx.n)
    for ts, k, _ in deaths:
        i = int((ts + 21600) // 60)
        t5[i] += rng.integers(8, 20)
        e5[i] += rng.integers(3, 9)
    t5 += (rng.random(ctx.n) < 0.04)

    metrics = aws.alb_lb(ctx, LB, req + lbl_req, t5xx=t5, e5xx=e5, rt=0.09 + ctx.ar(0.01) + 0.5 * ramp(t, ONSET - 600, 600))
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=h_min, unhealthy=3 - h_min)
    metrics += aws.alb_tg(ctx, LB, TG_LBL, lbl_req, healthy=np.full(ctx.n, 2), unhealthy=np.zeros(ctx.n))
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 24 * shape + ctx.ar(2) + 30 * grow[::60][:ctx.n],
                       np.nan_to_num(mem_avg, nan=0.0), running)
    metrics[-2]["points"] = [p for p, v in zip(metrics[-2]["points"], mem_avg) if np.isfinite(v)]
    metrics += aws.ecs(ctx, CLUSTER, "label-printer", 9 + ctx.ar(1.5), 33 + ctx.ar(1), 2 + ((t > -2010) & (t < -1890)))

    log_from = -7200.0
    live = lambda ts: [tk for tk in tasks if tk.t0 + 15 < ts and (tk.end is None or ts < tk.end)]
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        for ts in sorted(m0 + rng.uniform(0, 60, rng.binomial(int(req[i]), 0.22))):
            lv = live(ts)
            if not lv:
                continue
            tk = lv[int(rng.integers(len(lv)))]
            tk.s.add(ts, logback(ctx, ts, "INFO", "com.northwind.fulfil.planner.api.PlanController",
                                 f"Planned pick path for tote T-{int(rng.integers(10000, 99999))}: "
                                 f"{int(rng.integers(3, 40))} stops, {int(rng.integers(20, 600))} m",
                                 tk.thr(ctx), traceId=ctx.hex(32), site="LHR4"))
        if rng.random() < 0.05:
            lv = live(m0 + 30)
            if lv:
                tk = lv[0]
                tk.s.add(m0 + 30, logback(ctx, m0 + 30, "WARN", "com.northwind.fulfil.planner.tote.ToteService",
                                          "Tote reservation conflict, retrying", tk.thr(ctx), stack=LOCK_STACK))
    for w, ws in enumerate(np.arange(-7100, 0, 300.0)):
        big = ws >= WAVE_START
        lines = int(rng.integers(14000, 21000)) if big else int(rng.integers(1800, 4200))
        lv = live(float(ws))
        if lv:
            tk = lv[w % len(lv)]
            tk.s.add(float(ws), logback(ctx, float(ws), "INFO", "com.northwind.fulfil.planner.wave.WaveScheduler",
                                        f"Assembling wave W-{ctx.at(ws).strftime('%Y%m%d-%H%M')} with {lines} order lines",
                                        "scheduling-1", site="LHR4"))
    for ts, k, tk in deaths:
        for g in range(4):
            tg = ts - 40 + g * 9.5
            before = HEAP - int(rng.integers(2, 9))
            tk.s.add(tg, f"[{ctx.iso(tg, 3, '+0000')}][info][gc] GC({int(rng.integers(2000, 4000))}) Pause Full "
                         f"(G1 Compaction Pause) {before}M->{before - int(rng.integers(0, 5))}M"
                         f"({HEAP}M) {rng.uniform(1800, 2900):.3f}ms")
        tk.s.add(ts - 1.2, logback(ctx, ts - 1.2, "ERROR",
                                   "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
                                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                   "exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space]", tk.thr(ctx), stack=OOM_STACK))
        tk.s.add(ts, "Terminating due to java.lang.OutOfMemoryError: Java heap space")

    lbl = Stream("/ecs/label-printer", f"ecs/label-printer/{ctx.hex(32)}")
    for ts in np.arange(-1950, -30, 20.0) + rng.uniform(0, 5):
        lbl.add(float(ts), logback(ctx, float(ts), "INFO", "com.northwind.labels.PrintJobService",
                                   f"Printed {int(rng.integers(1, 30))} labels on ZD621-{int(rng.integers(1, 9))}", "print-1"))

    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 3, "cpu": 1024, "memory": 2048,
            "task_definition": f"{SERVICE}:64", "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG,
            "environment": {"JAVA_TOOL_OPTIONS": f"-Xmx{HEAP}m -XX:+ExitOnOutOfMemoryError -Xlog:gc:stdout",
                            "SPRING_PROFILES_ACTIVE": "prod,lhr4"}}},
        {"type": "ecs", "id": f"{CLUSTER}/label-printer", "properties": {
            "launch_type": "FARGATE", "desired_count": 2, "task_definition": "label-printer:19", "target_group": TG_LBL}},
        {"type": "alb", "id": LB, "properties": {"name": "int-ops-alb", "scheme": "internal",
                                                 "target_groups": [TG, TG_LBL]}},
    ]
    changes = [
        change(-18480, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}", "spinnaker"),
        change(-2030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "label-printer:19",
               "spinnaker"),
        change(-2010, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/label-printer", "spinnaker"),
    ]
    hh = next(m for m in metrics if m["name"] == "HealthyHostCount" and m["dimensions"]["TargetGroup"] == TG)
    mu = next(m for m in metrics if m["name"] == "MemoryUtilization" and m["dimensions"]["ServiceName"] == SERVICE)
    alarms = [
        alarm(hh, "pick-planner-healthy-hosts-low", "Minimum", 60, 5, 2, "LessThanThreshold", to_alarm=3, rng=rng,
              description="Fewer than 2 healthy pick-planner targets"),
        alarm(mu, "pick-planner-memory-high", "Average", 300, 3, 90, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-07-pick-planner-heap", "Warehouse scanners timing out; pick-planner-healthy-hosts-low is in ALARM.",
        REGION, resources, metrics, [tk.s for tk in tasks] + [lbl], alarms, changes,
        {"alarm": "pick-planner-healthy-hosts-low",
         "root_cause": {"category": "memory_exhaustion", "resource": [f"{CLUSTER}/{SERVICE}", SERVICE]},
         "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                        "dimensions": {"ClusterName": CLUSTER, "ServiceName": SERVICE}}]})
    meta = {"alarm_on": "front (ALB HealthyHostCount, LessThanThreshold)",
            "decoys": "label-printer deploy 4 min before onset on the same ALB and cluster; pick-planner "
                      "deploy 5 h ago; constant optimistic-lock WARN with Caused by chains",
            "story": "From about -45 min the waves the planner assembles are five times larger (its own INFO "
                     "lines give the order-line counts). Heap and the service's MemoryUtilization climb to "
                     "the limit; each task logs back-to-back Full GC pauses near 1536M, an OutOfMemoryError "
                     "(Spring ServletException with `Caused by: java.lang.OutOfMemoryError: Java heap space`) "
                     "and `Terminating due to java.lang.OutOfMemoryError`, then a new task stream starts. "
                     "Healthy targets drop below two. The label-printer deploy shares the ALB and cluster "
                     "but its own target group stays healthy and its logs are clean."}
    return doc, meta
