"""09: yard management latency behind an ALB, one .NET instance's CPU pinned (sa-east-1).
10: consolidation service tasks killed for running out of Java heap (ECS, eu-west-2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import jline, serilog

from .kit import S, alb_metrics, ec2_metrics, ecs_metrics, emit, every, pick, shift_load


def build09() -> S:
    sc = S(9, "yard-portal-slow", "Gate clerks at the Guarulhos yard say the trailer check-in screen hangs; "
           "the yard ALB response-time alarm fired.", "sa-east-1", 7409, "2026-03-16T11:35:00+00:00",
           front="front (ALB)", decoys="security-group ingress change 3 min before onset; earlier CPU spike on "
           "the batch instance; steady gate-camera OCR errors")
    lb = "app/yard-web-alb/9d24e1b07a6c3f58"
    a, b, batch = "i-0a7d3e91c25b64f08", "i-06b2f8c4e17d93a51", "i-0c95e27b4a1f8d306"
    onset = -2340
    sc.resource("alb", lb, name="yard-web-alb", scheme="internet-facing")
    sc.resource("ec2", a, name="yard-app-1", instance_type="c6a.xlarge", platform="Linux/UNIX", app="ASP.NET Core 8 (Kestrel)")
    sc.resource("ec2", b, name="yard-app-2", instance_type="c6a.xlarge", platform="Linux/UNIX", app="ASP.NET Core 8 (Kestrel)")
    sc.resource("ec2", batch, name="yard-batch-1", instance_type="m6a.large")
    hot = lambda t: ramp(t, onset - 120, onset + 60)
    load = lambda t: shift_load(sc, t, starts=(10.0,), height=0.5, width=1.0)
    req = lambda t: 260 * load(t)
    alb_metrics(sc, lb, req=lambda t: req(t) * (1 - 0.12 * hot(t)), t5xx=lambda t: 0.1 + 3.5 * hot(t),
                rt=lambda t: 0.11 * load(t) ** 0.5 + 2.6 * hot(t), healthy=lambda t: 2.0,
                e5xx=lambda t: 1.2 * hot(t))
    ec2_metrics(sc, a, cpu=lambda t: 21 * load(t), mem=lambda t: 48.0, disk=lambda t: 37.1)
    ec2_metrics(sc, b, cpu=lambda t: 21 * load(t) + (99.4 - 21 * load(t)) * hot(t), mem=lambda t: 51.0 + 4 * hot(t),
                disk=lambda t: 36.4)
    ec2_metrics(sc, batch, cpu=lambda t: 8 + (84 if -9600 <= t < -8100 else 0), mem=lambda t: 30.0, disk=lambda t: 61.2)

    def web(iid):
        def line(t):
            slow = iid == b and t >= onset
            r = sc.rng.random()
            if r < 0.05:
                return serilog(sc, t, "ERR", "Yard.Gate.OcrClient", f"Gate camera OCR returned no plate for lane "
                               f"{sc.rng.randint(1, 6)}; clerk will key it in")
            if slow and r < 0.14:
                return serilog(sc, t, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
                               f"Heartbeat took longer than \"00:00:01\" at \"{sc.at(t).strftime('%m/%d/%Y %H:%M:%S')} "
                               "+00:00\". This could be caused by thread pool starvation.")
            path = pick(sc, ["/api/yard/slots", "/api/gate/checkin", "/api/trailers/search", "/api/dock/doors"])
            ms = sc.rng.uniform(15, 160) * (sc.rng.uniform(18, 60) if slow else 1)
            code = 200 if not (slow and ms > 5500) else 500
            return serilog(sc, t, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
                           f"Request finished HTTP/1.1 {'POST' if 'checkin' in path else 'GET'} http://yard.logi.internal{path} "
                           f"- {code} {sc.rng.randint(300, 9000) if code == 200 else 0} application/json; charset=utf-8 {ms:.4f}ms")
        return line

    for iid in (a, b):
        emit(sc, "/yard/app", iid, lambda t: 3.0 * load(t), web(iid))
        every(sc, "/yard/app", iid, 900, lambda t: serilog(sc, t, "INF", "Hangfire.Server.RecurringJobScheduler",
                                                       "Recurring job 'trailer-dwell-report' triggered"))
    sc.log("/yard/app", b, onset - 150, serilog(sc, onset - 150, "INF", "Yard.Jobs.DwellRecalculation",
                                                "Dwell recalculation started for 51,204 trailer visits (window 90d)"))
    every(sc, "/yard/app", b, 300, lambda t: serilog(sc, t, "INF", "Yard.Jobs.DwellRecalculation",
                                                  f"Dwell recalculation progress {min(99, int((t - onset) / 90))}%"),
          start=onset + 150)
    every(sc, "/yard/batch", batch, 600, lambda t: serilog(sc, t, "INF", "Yard.Batch.Exporter",
                                                        "Exported customs pre-arrival file" if not -9600 <= t < -8100 else
                                                        "Monthly yard utilisation export running"), start=-18000)
    sc.change(-2520, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0e4b71c9d2a35f816",
              "felipe.souza")
    sc.change(-16500, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", batch, "felipe.souza")
    sc.alarm("yard-web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 1.0,
             "GreaterThanThreshold", "Yard portal slow")
    sc.alarm("yard-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect_rc("yard-web-alb-latency", "cpu_saturation", [b, "yard-app-2"],
                 [("AWS/EC2", "CPUUtilization", {"InstanceId": b}),
                  ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        "From 10:56 yard-app-2's CPU sits at 99 % (yard-app-1 stays near 25 %) after an in-process Hangfire dwell "
        "recalculation over 51k trailer visits starts on it. Only yard-app-2's requests slow to several seconds, "
        "Kestrel warns `Heartbeat took longer than \"00:00:01\" ... thread pool starvation`, and the ALB's "
        "average TargetResponseTime climbs past 1 s. The security-group ingress change three minutes earlier "
        "opens a port and breaks nothing; the batch instance's CPU spike two hours earlier (and its alarm) is a "
        "monthly export; the OCR `no plate` errors run all day on both instances.")
    sc.meta["judgement"] = ("The recalculation job is the load on the CPU, but it is part of the application on the "
                            "same instance, no change started it, and the failing resource is the pinned instance.")
    return sc


def build10() -> S:
    sc = S(10, "consolidation-memory", "Hub consolidation manifests are late; the consolidation service "
           "memory alarm fired.", "eu-west-2", 7410, "2026-03-17T05:50:00+00:00", front="origin",
           decoys="customs-docs task-definition rollout 6 min before the first kill; steady barcode "
           "check-digit errors; customs-docs CPU spike")
    cl, svc, other = "logi-eu", "consolidation-svc", "customs-docs"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096,
                java_opts="-Xmx3584m -XX:+ExitOnOutOfMemoryError")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=1024, memory=2048)
    oom = -2460
    grow = lambda t: ramp(t, -7800, oom)
    saw = lambda t: ((t - oom) % 540) / 540.0

    def mem(t):
        if t < oom:
            return 54 + 42 * grow(t)
        return 88 + 10 * saw(t)
    load = lambda t: shift_load(sc, t, starts=(6.0, 22.0), height=0.6, width=0.9)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 28 * load(t) + 30 * grow(t), mem=mem,
                running=lambda t: 3.0 if t < oom or (t - oom) % 180 > 60 else 2.0)
    ecs_metrics(sc, cl, other, cpu=lambda t: 14 * load(t) + (55 if -2900 <= t < -2700 else 0), mem=lambda t: 40.0,
                running=lambda t: 4.0 if -2900 <= t < -2700 else 2.0)
    app = "consolidation-svc"

    def jlog(t, level, logger, msg, thread="manifest-worker-3", **kw):
        return jline({"@timestamp": sc.iso(t), "level": level, "logger_name": logger, "thread_name": thread,
                      "message": msg, "app": app, **kw})

    def line(t):
        r = sc.rng.random()
        if r < 0.04:
            return jlog(t, "ERROR", "c.r.c.label.BarcodeRenderer", f"Failed to render GS1-128 for parcel "
                        f"JJD{sc.rng.randint(10 ** 13, 10 ** 14)}: invalid check digit", thread="label-pool-2")
        if r < 0.2:
            g = grow(t)
            full = g > 0.75 or t >= oom
            ms = sc.rng.uniform(900, 2600) if full else sc.rng.uniform(6, 30)
            kind = "Pause Full (G1 Compaction Pause)" if full else "Pause Young (Normal) (G1 Evacuation Pause)"
            used = int(3584 * (0.55 + 0.44 * max(g, 0.95 if t >= oom else 0)))
            return jlog(t, "WARN" if full else "INFO", "gc", f"{kind} {used}M->{used - (12 if full else 600)}M(3584M) {ms:.3f}ms",
                        thread="GC Thread#0")
        return jlog(t, "INFO", "c.r.c.manifest.ConsolidationService", f"Consolidated {sc.rng.randint(40, 400)} parcels "
                    f"into ULD AKE{sc.rng.randint(10000, 99999)}RC for {pick(sc, ['LHR', 'MAN', 'EMA', 'STN'])}",
                    hub="LHR-HUB", open_manifests=int(200 + 5400 * grow(t) + (5400 if t >= oom else 0)))

    tasks = [sc.task_id() for _ in range(3)]
    for i, tk in enumerate(tasks):
        st = f"consolidation/{svc}/{tk}"
        kills = [k for k in range(oom + 180 * i, 0, 540)]
        emit(sc, f"/ecs/{svc}", st, lambda t: 2.4 * load(t), line, end=kills[0])
        sc.log(f"/ecs/{svc}", st, kills[0] - 0.4, jlog(kills[0] - 0.4, "ERROR", "c.r.c.manifest.ManifestAssembler",
                                                   "Unhandled exception in manifest worker", stack_trace=(
            "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\t"
            "at java.base/java.util.ArrayList.grow(ArrayList.java:237)\n\tat com.routeco.consolidation.manifest."
            "ManifestAssembler.addParcel(ManifestAssembler.java:112)")))
        sc.log(f"/ecs/{svc}", st, kills[0] - 0.1, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        for k0, k1 in zip(kills, kills[1:] + [0]):
            ntk = sc.task_id()
            nst = f"consolidation/{svc}/{ntk}"
            s0 = k0 + 55
            sc.log(f"/ecs/{svc}", nst, s0, jlog(s0, "INFO", "c.r.c.ConsolidationApplication",
                                               "Started ConsolidationApplication in 11.8 seconds (process running for 12.6)",
                                               thread="main"))
            emit(sc, f"/ecs/{svc}", nst, lambda t: 2.4 * load(t), line, start=s0 + 5, end=k1 - 5)
            if k1 < 0:
                sc.log(f"/ecs/{svc}", nst, k1 - 0.1,
                       "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    for tk in (sc.task_id(), sc.task_id()):
        emit(sc, f"/ecs/{other}", f"customs/{other}/{tk}", lambda t: 0.9, lambda t: jline(
            {"@timestamp": sc.iso(t), "level": "INFO", "logger_name": "CustomsDocs", "message":
             f"CN23 generated for consignment {sc.rng.randint(10 ** 8, 10 ** 9)}"}))
    sc.change(-2900, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "customs-docs:31", "gitlab-ci")
    sc.change(-2890, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "gitlab-ci")
    sc.change(-20400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "gitlab-ci")
    d = {"ClusterName": cl, "ServiceName": svc}
    sc.alarm("consolidation-svc-memory-high", "AWS/ECS", "MemoryUtilization", d, "Average", 60, 5, 85,
             "GreaterThanThreshold", "Consolidation service memory")
    sc.alarm("customs-docs-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other}, "Average",
             60, 3, 60, "GreaterThanThreshold")
    sc.expect_rc("consolidation-svc-memory-high", "memory_exhaustion", [f"{cl}/{svc}", svc],
                 [("AWS/ECS", "MemoryUtilization", d)])
    sc.meta["story"] = (
        "consolidation-svc has not changed since its deploy 5.7 hours ago. Through the night shift its open "
        "manifests pile up (`open_manifests` in its logs) and MemoryUtilization climbs from ~55 % to the limit; "
        "G1 young pauses turn into multi-second `Pause Full (G1 Compaction Pause)` warnings, then from 05:09 "
        "each task dies with `java.lang.OutOfMemoryError: Java heap space` / `Terminating due to "
        "java.lang.OutOfMemoryError`, restarts and dies again nine minutes later (RunningTaskCount dips, memory "
        "saw-tooths between 88 and 98 %). The customs-docs rollout six minutes before the first kill, with "
        "its CPU spike and alarm, is a different service; the barcode check-digit errors are steady.")
    return sc


BUILDERS = [build09, build10]
