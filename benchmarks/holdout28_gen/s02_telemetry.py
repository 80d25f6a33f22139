"""h28-02: Java heap leak in an ECS service; tasks die one by one, partial recovery under way."""
from __future__ import annotations

import random

from .common import jd, HIST, LOGS, Clock, alarm, change, diurnal, hexid, log_stream, poisson, ramp
from .logfmt import Rec, java_stack, spring

R = "eu-west-1"
CL, SVC, RP = "fleet", "telemetry-ingest", "route-planner"
ALB = "app/telemetry-alb/7c1e5f0a93b2d4e6"
SLOPE = 35.0 / 18300
# (thrash start, exit time or None); replacement becomes ready 120 s after exit
TASKS = [(-3400, -2760), (-2940, -2340), (-2520, -1860), (-2280, None)]


def _mem(t, hit):
    return 97.0 - SLOPE * (hit - t)


def build():
    rng = random.Random(2802)
    clk = Clock("2026-03-11T09:40:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    minutes = range(-HIST, 0, 60)
    ecs = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": SVC})
    ci = Rec("ECS/ContainerInsights", {"ClusterName": CL, "ServiceName": SVC})
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    ids = [hexid(rng) for _ in range(8)]

    def slots(t):
        """Per slot: (task index, mem%, cpu%, failure fraction, extra latency s, state)."""
        out = []
        for i, (hit, ex) in enumerate(TASKS):
            if ex is None or t < ex:
                if t < hit:
                    mem = _mem(t, hit)
                    gc = max(0.0, (mem - 90) / 7)
                    out.append((i, mem, 28 * diurnal(t) + 10 * gc, 0.0, 0.05 * gc, "ok"))
                else:
                    f = ramp(t, hit, hit + 600, 0.0, 0.25)
                    out.append((i, min(99.6, 97 + 2.5 * (t - hit) / 600), 88 + 8 * f, f, 1.2 + 6 * f, "thrash"))
            elif t < ex + 120:
                out.append((i + 4, 0.0, 0.0, 0.0, 0.0, "gone" if t < ex + 60 else "start"))
            else:
                out.append((i + 4, 31 + SLOPE * (t - ex - 120), 24 * diurnal(t), 0.0, 0.0, "ok"))
        return out

    for t in minutes:
        sl = slots(t)
        live = [s for s in sl if s[5] in ("ok", "thrash")]
        req = poisson(rng, 2400 * diurnal(t, 0.12))
        share = req / max(1, len(live))
        t5 = sum(poisson(rng, share * s[3]) for s in live)
        e5 = sum(poisson(rng, 55) for s in sl if s[5] == "gone")
        lat = sum((0.034 + s[4]) for s in live) / max(1, len(live)) + abs(rng.gauss(0, 0.003))
        ecs.put(t, CPUUtilization=sum(s[2] for s in live) / len(live) + rng.gauss(0, 1.2),
                MemoryUtilization=sum(s[1] for s in live) / len(live) + rng.gauss(0, 0.3))
        ci.put(t, RunningTaskCount=len(live))
        unhealthy = 1 if any(s[5] == "thrash" for s in live) and rng.random() < 0.3 else 0
        alb.put(t, RequestCount=req, TargetResponseTime=lat, HTTPCode_Target_5XX_Count=t5,
                HTTPCode_ELB_5XX_Count=e5 + poisson(rng, 0.1), HTTPCode_Target_4XX_Count=poisson(rng, 3.1),
                HealthyHostCount=len(live) - unhealthy, UnHealthyHostCount=unhealthy)

    # ---- application logs ----
    streams = {}

    def ev(i, t, text):
        streams.setdefault(i, []).append((t, text))

    cls = "c.f.t.ingest.web.TelemetryController"
    for i, (hit, ex) in enumerate(TASKS):
        j = i + 4
        start = ex + 60 if ex else None
        if start:
            boot = [("INFO", "main", "c.f.t.ingest.TelemetryIngestApplication", "Starting TelemetryIngestApplication v4.18.2 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)"),
                    ("INFO", "main", "c.f.t.ingest.TelemetryIngestApplication", "The following 1 profile is active: \"prod\""),
                    ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                    ("INFO", "main", "c.f.t.ingest.session.DeviceSessionCache", "DeviceSessionCache initialised (maxEntries=unbounded, ttl=none)"),
                    ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                    ("INFO", "main", "c.f.t.ingest.TelemetryIngestApplication", f"Started TelemetryIngestApplication in {rng.uniform(10, 14):.2f} seconds (process running for {rng.uniform(14, 16):.2f})")]
            for k, (lv, th, lg, msg) in enumerate(boot):
                ts = start + 2 + k * 1.7
                ev(j, ts, spring(clk, ts, lv, th, lg, msg, app=SVC))
        gcn = rng.randint(40000, 60000)
        t = float(-LOGS)
        while t < 0:
            if ex is not None and ex <= t < ex + 60:
                t = ex + 60
                continue
            if ex is not None and t >= ex + 60:
                who, mem = j, 31 + SLOPE * max(0, t - ex - 120)
                if t < ex + 75:
                    t += 5
                    continue
            else:
                who, mem = i, _mem(t, hit) if t < hit else 99.0
            thr = ex is None or t < ex
            thrash = thr and who == i and t >= hit
            heap = 1536 * min(0.995, mem / 100 * 1.02)
            for _ in range(poisson(rng, 2.2)):
                ts = t + rng.uniform(0, 30)
                th = f"nio-8080-exec-{rng.randint(1, 64)}"
                if thrash and rng.random() < ramp(ts, hit, hit + 600, 0.05, 0.3):
                    ev(who, ts, spring(clk, ts, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                       "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                       "[Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n" +
                                       java_stack("java.lang.OutOfMemoryError", "Java heap space",
                                                  ["java.base/java.util.HashMap.resize(HashMap.java:702)",
                                                   "java.base/java.util.HashMap.putVal(HashMap.java:627)",
                                                   "java.base/java.util.concurrent.ConcurrentHashMap.putVal(ConcurrentHashMap.java:1075)",
                                                   "c.f.t.ingest.session.DeviceSessionCache.touch(DeviceSessionCache.java:88)",
                                                   "c.f.t.ingest.web.TelemetryController.ingest(TelemetryController.java:61)"], more=48), app=SVC))
                elif rng.random() < 0.0125:
                    ev(who, ts, spring(clk, ts, "WARN", th, ".w.s.m.s.DefaultHandlerExceptionResolver",
                                       "Resolved [org.springframework.http.converter.HttpMessageNotReadableException: JSON parse "
                                       "error: Unexpected character ('}' (code 125)): was expecting double-quote to start field name]", app=SVC))
                else:
                    ms = rng.randint(8, 40) + (rng.randint(900, 4000) if thrash else 0)
                    ev(who, ts, spring(clk, ts, "INFO", th, cls, f"Accepted batch device=veh-{rng.randint(10000, 99999)} "
                                       f"points={rng.randint(20, 240)} took={ms}ms", app=SVC))
            if rng.random() < (0.9 if thrash else 0.45):
                ts = t + rng.uniform(0, 30)
                gcn += 1
                if thrash or mem > 95:
                    ev(who, ts, f"[{clk.iso(ts)[:-1]}+0000][info][gc] GC({gcn}) Pause Full (G1 Compaction Pause) "
                                f"{heap:.0f}M->{heap - rng.uniform(2, 9):.0f}M(1536M) {rng.uniform(1900, 3400):.3f}ms")
                else:
                    ev(who, ts, f"[{clk.iso(ts)[:-1]}+0000][info][gc] GC({gcn}) Pause Young (Normal) (G1 Evacuation Pause) "
                                f"{heap:.0f}M->{heap * 0.93:.0f}M(1536M) {rng.uniform(6, 24):.3f}ms")
            if int(t) % 300 == 0:
                ev(who, t + 0.5, spring(clk, t + 0.5, "INFO", "scheduling-1", "c.f.t.ingest.session.DeviceSessionCache",
                                        f"DeviceSessionCache stats: size={int(mem * 31000)} entries, evictions=0, "
                                        f"heapUsed={heap:.0f}MB/1536MB", app=SVC))
            if ex is not None and who == i and ex - 30 <= t < ex:
                ev(i, ex - 0.4, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
            t += 30
    tlogs = [log_stream(f"/ecs/{SVC}", f"ecs/{SVC}/{ids[k]}", e) for k, e in sorted(streams.items())]

    # ---- route-planner: decoy deploy + top-of-hour recompute ----
    rp = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": RP})
    rpci = Rec("ECS/ContainerInsights", {"ClusterName": CL, "ServiceName": RP})
    rplog = []
    for t in minutes:
        cpu = 21 + rng.gauss(0, 2)
        for top in tops:
            if top <= t < top + 360:
                cpu = 74 + rng.gauss(0, 4)
        rp.put(t, CPUUtilization=cpu, MemoryUtilization=38 + rng.gauss(0, 0.8))
        rpci.put(t, RunningTaskCount=4 if -2580 <= t < -2280 else 2)
    for top in tops:
        if top >= -LOGS:
            rplog.append((top + 0.3, jd({"level": "info", "ts": clk.iso(top + 0.3), "caller": "planner/scheduler.go:88",
                                                 "msg": "scheduled recompute started", "depots": 41})))
            rplog.append((top + 352.0, jd({"level": "info", "ts": clk.iso(top + 352), "caller": "planner/scheduler.go:131",
                                                   "msg": "scheduled recompute finished", "routes": rng.randint(3000, 3400),
                                                   "elapsed": f"{rng.uniform(340, 360):.1f}s"})))
    t = float(-LOGS)
    while t < 0:
        t += rng.uniform(60, 200)
        rplog.append((t, jd({"level": "info", "ts": clk.iso(t), "caller": "api/handlers.go:77", "msg": "eta query served",
                                     "depot": f"D{rng.randint(1, 41):02d}", "stops": rng.randint(4, 30),
                                     "latency_ms": rng.randint(8, 60)})))
    rplog.append((-2520.0, jd({"level": "info", "ts": clk.iso(-2520), "caller": "cmd/planner/main.go:54",
                                        "msg": "route-planner starting", "version": "2.31.0", "commit": "8c1d0fe"})))

    metrics = ecs.metrics() + ci.metrics() + alb.metrics() + rp.metrics() + rpci.metrics()
    alarms = [alarm(clk, "telemetry-alb-target-5xx", alb.get("HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 40,
                    description="Telemetry ingest ALB: target 5XX responses")]
    changes = [
        change(-2640, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "route-planner:31", "github-actions"),
        change(-2580, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{RP}", "github-actions"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-02-telemetry-heap-leak",
        "description": "Vehicle telemetry uploads intermittently failing with 500s; ALB 5XX alarm fired.",
        "region": R,
        "resources": [
            {"type": "ecs", "id": f"{CL}/{SVC}", "properties": {"launch_type": "FARGATE", "cpu": 1024, "memory": 2048,
                                                              "desired_count": 4, "task_definition": "telemetry-ingest:57",
                                                              "runtime": "java17 (Spring Boot 3.2, -Xmx1536m -XX:+ExitOnOutOfMemoryError)",
                                                              "log_groups": [f"/ecs/{SVC}"], "load_balancer": "telemetry-alb"}},
            {"type": "ecs", "id": f"{CL}/{RP}", "properties": {"launch_type": "FARGATE", "cpu": 2048, "memory": 4096,
                                                             "desired_count": 2, "task_definition": "route-planner:31",
                                                             "runtime": "go1.22", "log_groups": [f"/ecs/{RP}"]}},
            {"type": "alb", "id": ALB, "properties": {"name": "telemetry-alb", "scheme": "internet-facing",
                                                    "target_group": "telemetry-ingest-tg"}},
        ],
        "metrics": metrics,
        "logs": tlogs + [log_stream(f"/ecs/{RP}", f"ecs/{RP}/{hexid(rng)}", rplog)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "telemetry-alb-target-5xx",
                   "root_cause": {"category": "memory_exhaustion", "resource": [f"{CL}/{SVC}", SVC]},
                   "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": CL, "ServiceName": SVC}},
                                 {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "front (telemetry-alb)",
            "decoys": "route-planner deploy (UpdateService) 43 min ago; route-planner CPU spike every top of the hour; "
                      "constant JSON-parse WARN/4XX noise",
            "story": (
                "telemetry-ingest's MemoryUtilization climbs steadily for six hours (62 % → 97 %) while traffic is flat and the "
                "DeviceSessionCache stats line shows an unbounded cache growing with zero evictions. As each task's heap fills, "
                "G1 falls into back-to-back Full GCs, requests slow down and then fail with java.lang.OutOfMemoryError; "
                "-XX:+ExitOnOutOfMemoryError makes the JVM exit and ECS starts a replacement. Three of four tasks have already "
                "been replaced when the alarm is investigated (service memory average has dropped, 5XX is lower than the peak) "
                "but the fourth is still thrashing, so the ALB alarm stays in ALARM. The origin is the service's memory, "
                "memory_exhaustion on fleet/telemetry-ingest; the route-planner deploy and its scheduled hourly CPU spike are "
                "in another service that shows no errors.")}
    return scen, meta
