"""h28-14: Node/Puppeteer render host leaks browser pages; memory creeps to the limit and the OOM killer fires."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, log_stream, poisson, ramp
from .logfmt import Rec

R = "ap-south-1"
R1, R2 = "i-05d2c8e17a4f39b60", "i-0e91b3f4c27d58a16"
NAMES = {R1: "render-svc-1", R2: "render-svc-2"}
HOSTS = {R1: "ip-10-60-1-23", R2: "ip-10-60-2-51"}
ALB = "app/render-alb/c81f2e9a5b3d7046"
SLOPE = 35.0 / 18900
KILL0 = -2700


def mem(inst, t):
    if inst == R2:
        return 24.0 + SLOPE * (t + HIST)
    m = 62.0 + SLOPE * (t + HIST)
    return m if m < 97.3 else 97.3


def fail_frac(t):
    if t < KILL0:
        return 0.0
    return ramp(t, KILL0, -1200, 0.004, 0.11)


def build():
    rng = random.Random(2814)
    clk = Clock("2026-03-22T08:41:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    metrics, logs = [], []
    for t in range(-HIST, 0, 60):
        req = poisson(rng, 1200 * diurnal(t, 0.15, 10000))
        f = fail_frac(t)
        slow1 = max(0.0, (mem(R1, t) - 92) / 5.3)
        alb.put(t, RequestCount=req, TargetResponseTime=1.8 + 1.6 * slow1 * 0.5 + rng.gauss(0, 0.05),
                HTTPCode_Target_5XX_Count=poisson(rng, req / 2 * f + 0.3), HTTPCode_Target_4XX_Count=poisson(rng, 6),
                HTTPCode_ELB_5XX_Count=poisson(rng, 0.1 + req / 2 * f * 0.05), HealthyHostCount=2, UnHealthyHostCount=0)
    metrics += alb.metrics()
    for inst in (R1, R2):
        ec2 = Rec("AWS/EC2", {"InstanceId": inst})
        for t in range(-HIST, 0, 300):
            cpu = 34 * diurnal(t, 0.15, 10000) + rng.gauss(0, 1.5)
            if inst == R1 and t >= KILL0:
                cpu += 18
            if inst == R2 and any(top <= t < top + 300 for top in tops):
                cpu = 86 + rng.gauss(0, 2)
            ec2.put(t, CPUUtilization=cpu, NetworkIn=2.2e8 * rng.uniform(0.9, 1.1), NetworkOut=9.1e8 * rng.uniform(0.9, 1.1),
                    StatusCheckFailed=0)
        agent = Rec("CWAgent", {"InstanceId": inst})
        disk = Rec("CWAgent", {"InstanceId": inst, "path": "/", "fstype": "xfs"})
        for t in range(-HIST, 0, 60):
            m = mem(inst, t)
            if inst == R1 and t >= KILL0:
                m = 97.3 + rng.uniform(0, 1.9)
            agent.put(t, mem_used_percent=m + rng.gauss(0, 0.15))
            disk.put(t, disk_used_percent=(47.2 if inst == R1 else 45.9) + rng.gauss(0, 0.04))
        metrics += ec2.metrics() + agent.metrics() + disk.metrics()

        # ---- application log (pino JSON) ----
        ev = []
        host = HOSTS[inst]
        pages = 300 if inst == R1 else 12

        def jl(ts, level, msg, **kw):
            d = {"level": level, "time": clk.epoch(ts) * 1000 + rng.randint(0, 999), "pid": 2211 if inst == R1 else 1874,
                 "hostname": host, "msg": msg}
            d.update(kw)
            return json.dumps(d, separators=(",", ":"))

        for t in range(-LOGS, 0, 60):
            m = mem(inst, t)
            f = fail_frac(t) if inst == R1 else 0.0
            for _ in range(poisson(rng, 7)):
                ts = t + rng.uniform(0, 59)
                doc = f"inv_{rng.getrandbits(36):09x}"
                if rng.random() < f * 1.1:
                    if rng.random() < 0.7:
                        ev.append((ts, jl(ts, 50, "render failed", doc=doc, err={
                            "type": "ProtocolError", "message": "Protocol error (Target.createTarget): Target closed",
                            "stack": "ProtocolError: Protocol error (Target.createTarget): Target closed\n    at CallbackRegistry.clear "
                                     "(/opt/render/node_modules/puppeteer-core/lib/cjs/puppeteer/common/CallbackRegistry.js:81:36)\n"
                                     "    at CdpConnection.#onClose (/opt/render/node_modules/puppeteer-core/lib/cjs/puppeteer/cdp/Connection.js:164:25)\n"
                                     "    at async renderPdf (/opt/render/src/render.js:58:18)"})))
                    else:
                        ev.append((ts, jl(ts, 50, "render failed", doc=doc, err={
                            "type": "TimeoutError", "message": "Navigation timeout of 30000 ms exceeded",
                            "stack": "TimeoutError: Navigation timeout of 30000 ms exceeded\n    at new Deferred "
                                     "(/opt/render/node_modules/puppeteer-core/lib/cjs/puppeteer/util/Deferred.js:60:34)\n"
                                     "    at async renderPdf (/opt/render/src/render.js:61:9)"})))
                elif rng.random() < 0.01:
                    ev.append((ts, jl(ts, 40, "template not found, falling back to default", template=f"tpl_{rng.choice(['uk_vat', 'legacy_v2', 'ar_rtl'])}")))
                else:
                    rms = int(1600 + rng.gauss(0, 250) + max(0, (m - 92) * 350))
                    ev.append((ts, jl(ts, 30, "pdf rendered", doc=doc, pages=rng.randint(1, 9), renderMs=rms)))
            if t % 300 == 0:
                pages = int((300 if inst == R1 else 12) + (t + LOGS) / 60 * (7.6 if inst == R1 else 7.4)) if not (inst == R1 and t >= KILL0) \
                    else pages - rng.randint(5, 40) + rng.randint(20, 45)
                ev.append((t + 3, jl(t + 3, 30, "browser stats", openPages=pages, chromeProcs=pages // 3 + 4,
                                     rssMB=int(m / 100 * 7680 * 0.9), uptimeH=round((72 if inst == R1 else 10) + (t + LOGS) / 3600, 2))))
        logs.append(log_stream("/render/app", inst, ev))
        sysl = []
        for top in tops:
            if top >= -LOGS:
                sysl.append((top + 1, f"{clk.syslog(top + 1)} {host} CROND[{rng.randint(20000, 40000)}]: (render) CMD "
                                      "(/opt/render/bin/warm-template-cache --all)"))
        if inst == R1:
            t = KILL0
            while t < 0:
                pid = rng.randint(30000, 60000)
                rss = rng.randint(280000, 520000)
                sysl.append((t, f"{clk.syslog(t)} {host} kernel: chrome invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), "
                                "order=0, oom_score_adj=300"))
                sysl.append((t + 0.01, f"{clk.syslog(t)} {host} kernel: Out of memory: Killed process {pid} (chrome) total-vm:34185220kB, "
                                       f"anon-rss:{rss}kB, file-rss:0kB, shmem-rss:10240kB, UID:1001 pgtables:2380kB oom_score_adj:300"))
                sysl.append((t + 0.2, f"{clk.syslog(t)} {host} kernel: oom_reaper: reaped process {pid} (chrome), now anon-rss:0kB, "
                                      "file-rss:0kB, shmem-rss:10240kB"))
                t += rng.uniform(40, 200) * (1.6 - fail_frac(t) * 8)
        logs.append(log_stream("/var/log/messages", inst, sysl))
    alarms = [alarm(clk, "render-alb-5xx", alb.get("HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 20,
                    description="Invoice PDF render ALB target 5XX")]
    lag = round((alarms[0]["state_changed"] - (KILL0)) / 60)
    changes = [change(-3000, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup",
                      "render-tg", "platform-ops")]
    res = [{"type": "ec2", "id": i, "properties": {"name": NAMES[i], "instance_type": "m6i.large", "memory_gib": 8,
                                                  "log_groups": ["/render/app", "/var/log/messages"], "swap": "none"}} for i in (R1, R2)]
    res.append({"type": "alb", "id": ALB, "properties": {"name": "render-alb", "scheme": "internal", "target_group": "render-tg"}})
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-14-render-host-memory-creep",
        "description": "Invoice PDFs failing to generate for some customers; render ALB 5XX alarm.",
        "region": R, "resources": res, "metrics": metrics, "logs": logs, "alarms": alarms, "changes": changes,
        "expect": {"alarm": "render-alb-5xx",
                   "root_cause": {"category": "memory_exhaustion", "resource": [R1, NAMES[R1]]},
                   "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": R1}},
                                 {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "front (render-alb)",
            "decoys": "target-group attribute change (deregistration delay) 50 min ago; render-svc-2 CPU spike from the top-of-hour "
                      "cache-warm cron; render-svc-2 memory also climbing (same leak, 10 h since reboot, still far from the limit); "
                      "constant 'template not found' WARNs",
            "story": (
                "mem_used_percent on render-svc-1 climbs linearly for six hours (62 % → 97 %) with flat traffic; the app's "
                "'browser stats' line shows openPages and chromeProcs growing without bound (pages are opened per render and never "
                "closed). render-svc-2 has exactly the same slope but was rebooted for patching 10 hours ago, so it is only at "
                "~64 %. From 45 minutes ago render-svc-1 has no headroom: the kernel OOM killer starts killing Chromium "
                "renderers, renders fail with 'Protocol error (Target.createTarget): Target closed' or navigation timeouts, "
                f"and kills become more frequent as memory stays pinned at 97-99 %. The ALB 5XX alarm fired ~{lag} minutes after "
                "the first OOM kill. Origin: memory_exhaustion on i-05d2c8e17a4f39b60 (render-svc-1). The target-group "
                "deregistration-delay change cannot exhaust memory, and render-svc-2's hourly CPU spike is its cache-warm cron.")}
    return scen, meta
