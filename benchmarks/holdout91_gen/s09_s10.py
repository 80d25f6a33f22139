"""h91-09 IVR session service (Node on ECS) leaking sessions until its tasks die out of heap;
h91-10 MMS media host (Go on EC2) with a full spool disk."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import nginx, pino, zap

from .base import LOG_FROM, S91, diurnal, ecs_stream, task_ids


def build09() -> S91:
    sc = S91(9, "ivr-502s",
             "Callers dropped from IVR menus; ivr-ws ALB 5XX alarm.", "eu-north-1", 9109,
             "2026-03-17T10:45:00+00:00")
    rng = sc.rng
    T_START, T_DECOY = -24800, -3150
    deaths = [-2410, -2060, -1690, -1240, -700, 420]
    rates = [1.0 / (d - T_START) for d in deaths]
    load = lambda t: diurnal(sc, t, 11.0, 0.3)

    def task_mem(i, t):
        d = deaths[i]
        if t < d:
            return 31 + 67 * (t - T_START) * rates[i]
        return 31 + 67 * (t - d) * rates[i]

    mem = lambda t: sum(task_mem(i, t) for i in range(6)) / 6
    dying = lambda t: any(d - 60 <= t < d + 90 for d in deaths)
    thrash = lambda t: sum(1 for i in range(6) if task_mem(i, t) > 96) / 6
    alb = sc.alb("ivr-ws", lambda t: 700 * load(t) + bump(t, -12600, -12000, 400),
                 lambda t: 0.5 + 60 * thrash(t),
                 lambda t: 0.3 + (38 if dying(t) else 0) + (14 if t >= deaths[0] - 60 else 0) + 60 * thrash(t),
                 lambda t: 0.09 + 2.5 * thrash(t), healthy=6,
                 unhealthy=lambda t: 1.0 if dying(t) else 0.0)
    svc = sc.ecs("voice", "ivr-session", lambda t: 31 * load(t) + 30 * thrash(t), mem,
                 lambda t: 5.0 if dying(t) else 6.0, desired_count=6, runtime="nodejs20",
                 memory_mb=2048, node_options="--max-old-space-size=1536")
    sc.ecs("voice", "recording-uploader", lambda t: 18.0, lambda t: 41.0, lambda t: 3.0, desired_count=3,
           runtime="nodejs20")

    app, grp = "ivr-session", "/ecs/ivr-session"
    tasks = task_ids(sc, 6)
    carriers = ["c-233", "c-417", "c-102"]
    for i in (0, 2, 5):
        host = f"ip-10-52-{rng.randint(1, 15)}-{rng.randint(2, 250)}.eu-north-1.compute.internal"
        st = ecs_stream(app, tasks[i])
        lg = lambda t, lvl, msg, st=st, host=host, **kw: sc.log(grp, st, t, pino(sc, t, lvl, msg, host, **kw))
        d = deaths[i]
        leaked = lambda t, i=i: int(180 + 41000 * (t - T_START) * rates[i] * 0.98)
        sc.events(LOG_FROM, d, lambda m: 1.6 * load(m), lambda t, lg=lg: lg(
            t, "info", "call session ended", callSid=f"CA{sc.hexid(32)}", carrier=sc.pick(carriers),
            durationSec=rng.randint(14, 420), menuPath=sc.pick(["1>2", "3", "1>4>1", "2>2"])))
        sc.events(LOG_FROM, d, lambda m: 0.5, lambda t, lg=lg: lg(
            t, "error", "call leg failed", callSid=f"CA{sc.hexid(32)}", carrier="c-417",
            sip={"status": 486, "reason": "Busy Here"}))

        def stats(t, lg=lg, i=i, leaked=leaked):
            mp = task_mem(i, t)
            lg(t, "warn" if mp > 85 else "info", "runtime stats", activeCalls=rng.randint(90, 150),
               sessionMapSize=leaked(t), heapUsedMB=int(1536 * min(0.995, (mp - 14) / 86)),
               heapLimitMB=1536, rssMB=int(2048 * mp / 100), eventLoopLagMs=round(rng.uniform(1, 4) + (
                   400 * (mp - 90) if mp > 90 else 0), 1))
        sc.every(LOG_FROM, d, 300, stats)

        def crash(t, st=st):
            pid = 1
            for k, line in enumerate([
                    "<--- Last few GCs --->",
                    f"[{pid}:0x6a3c0e0] 24718311 ms: Mark-Compact (reduce) 1533.9 (1552.1) -> 1533.1 (1550.8) MB, "
                    f"1402.25 / 0.00 ms  (average mu = 0.108, current mu = 0.021) allocation failure; scavenge might not succeed",
                    f"[{pid}:0x6a3c0e0] 24720149 ms: Mark-Compact (reduce) 1534.2 (1550.8) -> 1533.9 (1551.6) MB, "
                    f"1779.62 / 0.00 ms  (average mu = 0.067, current mu = 0.032) allocation failure; GC in old space requested",
                    "<--- JS stacktrace --->",
                    "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                    " 1: 0xb8d0a3 node::Abort() [node]", " 2: 0xa96834  [node]",
                    " 3: 0xd687f0 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, bool) [node]"]):
                sc.log(grp, st, t + k * 0.001, line)
        crash(d - rng.uniform(1, 20))
        # replacement task
        nt = sc.hexid(32)
        st2 = ecs_stream(app, nt)
        host2 = f"ip-10-52-{rng.randint(1, 15)}-{rng.randint(2, 250)}.eu-north-1.compute.internal"
        lg2 = lambda t, lvl, msg, st=st2, host=host2, **kw: sc.log(grp, st, t, pino(sc, t, lvl, msg, host, **kw))
        lg2(d + 55, "info", "ivr-session listening", port=8080, version="3.14.2", sipProfile="eu-north")
        sc.events(d + 60, 0, lambda m: 1.6 * load(m), lambda t, lg=lg2: lg(
            t, "info", "call session ended", callSid=f"CA{sc.hexid(32)}", carrier=sc.pick(carriers),
            durationSec=rng.randint(14, 420), menuPath=sc.pick(["1>2", "3", "1>4>1"])))
        sc.events(d + 60, 0, lambda m: 0.5, lambda t, lg=lg2: lg(
            t, "error", "call leg failed", callSid=f"CA{sc.hexid(32)}", carrier="c-417",
            sip={"status": 486, "reason": "Busy Here"}))

    sc.change(-20800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "voice/recording-uploader",
              "github-actions-deploy")
    sc.change(T_DECOY - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "recording-uploader:212", "github-actions-deploy")
    sc.change(T_DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "voice/recording-uploader",
              "github-actions-deploy")

    sc.alarm("ivr-ws-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb["dims"], "Sum", 60, 3, 5,
             "GreaterThanThreshold", "IVR websocket/HTTP 5xx at the load balancer")
    sc.alarm("ivr-session-memory-high", "AWS/ECS", "MemoryUtilization", svc["dims"], "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.alarm("ivr-session-cpu-high", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 3, 85,
             "GreaterThanThreshold")
    sc.truth("ivr-ws-elb-5xx", "memory_exhaustion", ["voice/ivr-session", "ivr-session"],
             [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": svc["dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS", runtime="Node.js 20", log_style="pino JSON + V8 fatal",
            decoys="recording-uploader deployment ~1 min before the first 5xx; steady SIP 486 errors; call-centre "
                   "traffic spike 3.5 h earlier; memory alarm already recovering as tasks are replaced",
            story="ivr-session's tasks were started ~7 h ago and their memory rises in a straight line all window: "
                  "`runtime stats` shows activeCalls flat at ~120 while sessionMapSize grows into the tens of "
                  "thousands and heapUsedMB approaches the 1536 MB limit. From about -51 min the fullest task "
                  "thrashes in GC and the first 502s appear; from -40 min the tasks die one by one "
                  "with V8's `Reached heap limit Allocation failed - JavaScript heap out of memory` (Mark-Compact "
                  "GCs of 1.4-1.8 s just before), RunningTaskCount dips, and each death and the GC-thrashing "
                  "survivors give 502/5xx at the ALB. Replacements start fresh at ~30 %, so service-average memory "
                  "falls again while the alarm is still firing. recording-uploader's deployment is a different "
                  "service and the SIP 486 errors have the same rate all morning.",
            judgement="The leak is in code that was running long before the window (no deployment of ivr-session "
                      "in six hours), so the label is the resource symptom, memory_exhaustion, not bad_deployment.")
    return sc


def build10() -> S91:
    sc = S91(10, "mms-5xx",
             "MMS sends with media attachments failing; mms-edge target 5XX alarm.", "us-east-1", 9110,
             "2026-03-18T20:05:00+00:00")
    rng = sc.rng
    T_FULL, T_JAN, T_DECOY = -1850, -19400, -1925
    load = lambda t: diurnal(sc, t, 19.0, 0.3)
    full = lambda t: ramp(t, T_FULL - 60, T_FULL)
    i1, i2 = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    alb = sc.alb("mms-edge", lambda t: 420 * load(t), lambda t: 0.3 + 0.48 * 420 * load(t) * full(t),
                 lambda t: 0.1, lambda t: 0.74 - 0.3 * full(t), healthy=2, t4xx=lambda t: 6.0)
    disk = lambda t: min(100.0, 61 + 39 * max(0.0, t - T_JAN) / (T_FULL - T_JAN)) if t < T_FULL else 100.0
    h1 = sc.ec2(i1, "mms-media-1", "m6i.xlarge", lambda t: 41 * load(t) - 18 * full(t) + bump(t, -8400, -7800, 45),
                mem=lambda t: 46.0, disk=disk, log_groups=["/cpaas/mms/app", "/cpaas/mms/access"])
    sc.ec2(i2, "mms-media-2", "m6i.xlarge", lambda t: 40 * load(t), mem=lambda t: 44.0,
           disk=lambda t: 58 + 3 * ((t % 600) / 600), log_groups=["/cpaas/mms/app", "/cpaas/mms/access"])
    sc.lambda_fn("mms-thumbnail", "nodejs20.x", 1024, 30, lambda t: 60 * load(t), lambda t: 0.2, lambda t: 700.0)

    base = "github.com/cpaas/mms-media"
    cips = [sc.ip("10.70") for _ in range(4)]
    for iid, first in ((i1, True), (i2, False)):
        zl = lambda t, lvl, msg, caller, iid=iid, **kw: sc.log("/cpaas/mms/app", iid, t, zap(sc, t, lvl, msg, caller, **kw))

        def req(t, iid=iid, first=first, zl=zl):
            bad = first and full(t) > 0.5
            mid = sc.hexid(20)
            st = 500 if bad else 200
            rt = rng.uniform(0.02, 0.08) if bad else max(0.1, rng.gauss(0.75, 0.25))
            if bad:
                zl(t - 0.01, "error", "store transcoded part", f"{base}/spool/writer.go:88", mmsId=mid,
                   error=f"write /var/lib/mms/spool/{mid[:2]}/{mid}.part2.mp4: no space left on device")
            else:
                zl(t - 0.01, "info", "transcoded", f"{base}/transcode/pipeline.go:141", mmsId=mid,
                   parts=rng.randint(1, 3), inBytes=rng.randint(200000, 1800000), outBytes=rng.randint(90000, 300000),
                   ms=int(rt * 1000))
            sc.log("/cpaas/mms/access", iid, t, nginx(sc, t, sc.pick(cips), "POST", "/v1/mms/media", st,
                                                       rng.randint(60, 240), rt, ua="Go-http-client/1.1"))
        sc.events(LOG_FROM, 0, lambda m: 2.4 * load(m), req)
        sc.events(LOG_FROM, 0, lambda m: 0.4, lambda t, zl=zl: zl(
            t, "warn", "unsupported codec, passing through", f"{base}/transcode/probe.go:52", codec="amr-wb",
            mmsId=sc.hexid(20)))

        def jan(t, zl=zl, first=first):
            if first and t >= T_JAN:
                zl(t, "error", "spool janitor run failed", f"{base}/spool/janitor.go:61",
                   error="open /var/lib/mms/spool/.janitor.lock: file exists (held by pid 2231)", removed=0)
            else:
                zl(t, "info", "spool janitor run", f"{base}/spool/janitor.go:74", removed=rng.randint(1800, 2600),
                   freedMB=rng.randint(2900, 4300))
        sc.every(LOG_FROM - 7200, 0, 600, jan)

    sc.change(-20100, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", i2, "terraform-apply")
    sc.change(T_DECOY, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0" + sc.hexid(16), "ops-dana.w")
    sc.change(T_FULL + 80, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "mms-thumbnail", "gh-actions-release")

    sc.alarm("mms-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb["dims"], "Sum", 60, 3, 15,
             "GreaterThanThreshold", "MMS media API 5xx")
    sc.alarm("mms-media-1-disk-high", "CWAgent", "disk_used_percent", h1["disk_dims"], "Average", 300, 1, 95,
             "GreaterThanThreshold")
    sc.alarm("mms-thumbnail-errors", "AWS/Lambda", "Errors", {"FunctionName": "mms-thumbnail"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.truth("mms-edge-target-5xx", "storage_exhaustion", [i1, "mms-media-1"],
             [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": h1["disk_dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, EC2, Lambda", runtime="Go (on EC2)",
            log_style="zap JSON + nginx access log",
            decoys="security-group ingress change 75 s before the first 500; mms-thumbnail deploy after onset; "
                   "steady amr-wb codec WARNs; CPU bump on mms-media-1 2 h earlier",
            story="Since -5.4 h the spool janitor on mms-media-1 fails every run (`.janitor.lock: file exists`), "
                  "while on mms-media-2 it keeps freeing ~3-4 GB every 10 minutes. mms-media-1's disk_used_percent "
                  "climbs steadily from 61 % to 100 % at -31 min; from then every transcode on that host fails with "
                  "`write /var/lib/mms/spool/...: no space left on device` and returns 500 in a few ms, about half "
                  "of mms-edge's traffic. mms-media-2 keeps serving 200s. The security-group change and the "
                  "thumbnail deploy touch neither the disk nor the app.")
    return sc


BUILDERS = [build09, build10]
