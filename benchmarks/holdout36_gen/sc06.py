"""h36-06 Tue 22:50 AEDT, pricing (-live): pricing-live-alb ELB 5xx.

A merchant's evening catalogue sync sends 40-50k-item bulk quote requests; pricing-engine's JVM
heap fills, full GCs stall, tasks die with OutOfMemoryError and are replaced, over and over.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly
from .fleet import Fleet
from .infra import GB, alb, ecs, rds
from .lam import Lambda, Outcome

CL, SVC, FX = "pricing-live", "pricing-engine", "fx-rates-poller"
LB = "app/pricing-live-alb/4f6a8c0e2b4d6f81"
DB, WARMER = "pricing-live-mysql", "pricing-cache-warmer-live"
T0 = -2400

META = {
    "region": "ap-southeast-2", "category": "memory_exhaustion", "front": "front (ALB)",
    "resources": [f"{CL}/{SVC}", SVC],
    "decoys": "fx-rates-poller's loud but steady 'upstream returned 503' ERROR every 30 s; "
              "pricing-cache-warmer-live deploy 83 min earlier; pricing-live-mysql healthy",
    "story": (
        "The pricing ALB pages on ELB-generated 5xx (502s) with unhealthy hosts flapping. From "
        "-40 min pricing-engine's memory utilisation saw-tooths up to 100 %, its running task count "
        "dips again and again, and its logs show why: bulk quote requests from merchant M-20931 "
        "with 40-50k items, then `Pause Full (G1 Compaction Pause) 1529M->1521M(1536M)` GC lines, "
        "then `java.lang.OutOfMemoryError: Java heap space` and `Terminating due to java.lang."
        "OutOfMemoryError`, followed by a fresh task starting. Request volume is flat, no deploy or "
        "config change touched pricing-engine, and the DB is idle. Heap OOM kills with memory at "
        "the limit: memory_exhaustion of pricing-live/pricing-engine."),
}

OOM_TRACE = ["java.lang.OutOfMemoryError: Java heap space",
             "java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
             "java.base/java.util.ArrayList.grow(ArrayList.java:237)",
             "java.base/java.util.ArrayList.add(ArrayList.java:486)",
             "com.acme.pricing.quote.BulkQuoteService.expandTiers(BulkQuoteService.java:203)",
             "com.acme.pricing.quote.BulkQuoteService.quote(BulkQuoteService.java:117)",
             "com.acme.pricing.api.BulkQuoteController.bulk(BulkQuoteController.java:64)",
             "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
             "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"]


def build() -> Scenario:
    s = Scenario(6, "pricing-502-heap-oom", 3606, "ap-southeast-2",
                 "Paged 22:50 AEDT by pricing-live-alb-elb-5xx; merchants' storefronts show stale "
                 "or missing prices.", "2026-03-10T11:50:00", 11)
    r = s.rng
    s.resource("alb", LB, name="pricing-live-alb", scheme="internal")
    s.resource("ecs", f"{CL}/{SVC}", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
               task_definition=f"{SVC}:152", java_opts="-Xmx1536m -XX:+ExitOnOutOfMemoryError",
               log_group=f"/ecs/{CL}/{SVC}")
    s.resource("ecs", f"{CL}/{FX}", launch_type="FARGATE", desired_count=1, cpu=256, memory=512,
               task_definition=f"{FX}:23", log_group=f"/ecs/{CL}/{FX}")
    s.resource("lambda", WARMER, runtime="nodejs20.x", timeout=120, memory_size=512,
               schedule="rate(5 minutes)")
    s.resource("rds", DB, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
               max_connections=1365, allocated_storage_gb=200)

    # ---------------------------------------------------------------- task lifecycles
    pe = Fleet(s, f"/ecs/{CL}/{SVC}")
    deaths = []
    for slot in range(4):
        born, first = -10 ** 9, True
        die = T0 + r.uniform(240, 700) + slot * 90
        while True:
            m = pe.task(SVC, start=born, end=die if die < 0 else 10 ** 9, tag=(born, die, first))
            if die >= 0:
                break
            deaths.append((die, m))
            born = die + r.uniform(48, 75)
            die = born + r.uniform(230, 520)
            first = False

    def mem_of(m, t):
        born, die, first = m.tag
        if t < max(born, T0):
            return r.uniform(47, 53) if first else 36.0
        start = T0 if first else born
        base = 50 if first else 36
        frac = min(1.0, (t - start) / (0.4 * (die - start)))     # heap fills, then full-GC thrash
        return min(99.6, base + (98 - base) * frac + r.uniform(-1.2, 1.2))

    def svc_mem(t):
        live = pe.alive(t + 30)
        return sum(mem_of(m, t + 30) for m in live) / len(live) if live else None
    death_min = {}
    for d, _ in deaths:
        death_min[int(d // 60) * 60] = death_min.get(int(d // 60) * 60, 0) + 1
    running = lambda t: len(pe.alive(t + 30))
    ecs(s, CL, SVC, {
        "CPUUtilization": lambda t: s.noise(34, 0.08) + (22 * (svc_mem(t) or 50) / 100 if t >= T0 else 0),
        "MemoryUtilization": svc_mem,
        "RunningTaskCount": running,
        "DesiredTaskCount": lambda t: 4,
    })
    ecs(s, CL, FX, {"CPUUtilization": lambda t: s.noise(4, 0.3), "MemoryUtilization": lambda t: s.noise(38, 0.03),
                    "RunningTaskCount": lambda t: 1})
    busy = lambda t: 1.0 if t >= T0 else 0.0
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(2300 * s.diurnal(t, 0.3, 19, 4), 0.05),
        "TargetResponseTime": lambda t: s.noise(0.085, 0.1) + busy(t) * r.uniform(0.2, 1.1),
        "HTTPCode_ELB_5XX_Count": lambda t: (r.randint(14, 38) * death_min.get(t, 0)) + busy(t) * r.choice([0, 0, 1, 2, 3]),
        "HTTPCode_Target_5XX_Count": lambda t: (r.randint(1, 4) * death_min.get(t, 0)) + (1 if r.random() < 0.05 else 0),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(31, 0.15),
        "HealthyHostCount": lambda t: max(0, running(t) - (1 if death_min.get(t) else 0)),
        "UnHealthyHostCount": lambda t: 1 if death_min.get(t) or death_min.get(t - 60) else 0,
    })
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(12, 0.1), "DatabaseConnections": lambda t: s.noise(64, 0.05),
                "FreeableMemory": lambda t: s.noise(9.8 * GB, 0.01), "FreeStorageSpace": lambda t: 151 * GB + r.uniform(-2e7, 2e7),
                "ReadLatency": lambda t: s.noise(0.0008, 0.1), "WriteLatency": lambda t: s.noise(0.0012, 0.1)})

    # ---------------------------------------------------------------- pricing-engine logs
    sp = lambda t, lvl, th, lg, msg: L.spring(s, t, lvl, th, lg, msg, app=SVC)
    gc = lambda t, n, msg: f"[{s.iso(t).replace('Z', '+0000')}][info][gc] GC({n}) {msg}"
    for m in pe.members:
        born, die, first = m.tag
        if born > -10 ** 8:
            for dt, lg, msg in [(1.1, "c.a.pricing.PricingEngineApplication", "Starting PricingEngineApplication v5.8.2 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)"),
                                (6.3, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                                (6.5, "c.a.pricing.PricingEngineApplication", f"Started PricingEngineApplication in {r.uniform(12, 15):.3f} seconds (process running for {r.uniform(14, 16):.3f})")]:
                pe.emit(m, born + dt + 8, sp(born + dt + 8, "INFO", "main", lg, msg))
        if die < 0:
            n = r.randint(300, 900)
            for k in range(r.randint(3, 6)):
                t = die - 40 + k * 7 + r.uniform(0, 3)
                if t > max(born + 60, T0):
                    pe.emit(m, t, gc(t, n + k, f"Pause Full (G1 Compaction Pause) {r.randint(1522, 1530)}M->{r.randint(1505, 1521)}M(1536M) {r.uniform(1800, 3400):.3f}ms"))
            th = f"http-nio-8080-exec-{r.randint(1, 200)}"
            head = sp(die - 1.5, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                      "[Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause")
            pe.emit(m, die - 1.5, head + "\n\n" + "\n\tat ".join(OOM_TRACE))
            pe.emit(m, die - 0.4, "Terminating due to java.lang.OutOfMemoryError: Java heap space")

    def quote(t, m):
        pe.emit(m, t, sp(t, "INFO", f"http-nio-8080-exec-{r.randint(1, 200)}", "c.a.pricing.api.QuoteController",
                         f"quote merchant=M-{r.randint(10000, 29999)} sku={r.randint(10 ** 6, 10 ** 7)} price={r.uniform(3, 400):.2f} AUD {r.randint(4, 30)}ms"))
    pe.spread(-7200, 0, lambda t: 24 * s.diurnal(t, 0.3, 19, 4), quote, warm=20, drain=2)

    def bulk(t, m):
        items = r.randint(40000, 52000)
        pe.emit(m, t, sp(t, "WARN", f"http-nio-8080-exec-{r.randint(1, 200)}", "c.a.pricing.api.BulkQuoteController",
                         f"bulk quote request merchant=M-20931 items={items} (advisory limit 10000); processing in-memory"))
    pe.spread(T0 - 60, 0, lambda t: 3.2, bulk, warm=20, drain=2)
    pe.spread(-7200, T0, lambda t: 0.15, lambda t, m: pe.emit(m, t, sp(
        t, "INFO", f"http-nio-8080-exec-{r.randint(1, 200)}", "c.a.pricing.api.BulkQuoteController",
        f"bulk quote request merchant=M-{r.randint(10000, 19999)} items={r.randint(20, 900)}")), warm=20, drain=2)
    pe.spread(-7200, 0, lambda t: 1.0, lambda t, m: pe.emit(m, t, gc(
        t, r.randint(10, 900), f"Pause Young (Normal) (G1 Evacuation Pause) {r.randint(600, 900)}M->{r.randint(380, 520)}M(1536M) {r.uniform(6, 24):.3f}ms")),
        warm=20, drain=2)

    fx = Fleet(s, f"/ecs/{CL}/{FX}")
    fm = fx.task(FX)
    for t in range(-7200, 0, 30):
        tt = t + r.uniform(0, 1.5)
        fx.emit(fm, tt, L.spring(s, tt, "ERROR", "scheduling-1", "c.a.pricing.fx.RatesPoller",
                                 "upstream rates provider returned 503 Service Unavailable; keeping cached rates from "
                                 "2026-03-10T10:00:00Z (age 6h)", app=FX))

    def warm(t):
        return Outcome("ok", r.uniform(2500, 5200), r.randint(140, 170),
                       [(0.02, "INFO", f"warming {r.randint(180, 260)} hot SKUs for top merchants"),
                        (2.2, "INFO", f"cache warm complete hits={r.randint(150, 250)} misses={r.randint(0, 9)}")])
    Lambda(s, WARMER, "nodejs20.x", 512, 120, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-5000, "b", "$LATEST")]).run(
        lambda t: 1.0 if (t // 60) % 5 == 0 else 0.0, warm, exact=True)
    s.change(-5000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", WARMER,
             "bitbucket-pipelines-pricing")
    s.change(-15500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{FX}",
             "bitbucket-pipelines-pricing")

    dims = {"LoadBalancer": LB}
    s.alarm("pricing-live-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims,
            alb_pts["HTTPCode_ELB_5XX_Count"], "Sum", 300, 1, 20, "GreaterThanThreshold",
            "Pricing ALB returning 5xx itself (no healthy target / target reset)")
    edims = {"ClusterName": CL, "ServiceName": SVC}
    s.expect("pricing-live-alb-elb-5xx", "memory_exhaustion", META["resources"],
             [anomaly("AWS/ECS", "MemoryUtilization", edims),
              anomaly("ECS/ContainerInsights", "RunningTaskCount", edims),
              anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims)])
    s.meta = META
    return s
