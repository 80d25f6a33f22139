"""h30-03 (recommendation-api OOM kills, memory_exhaustion) and h30-04 (orders-web-3 disk full, storage_exhaustion)."""
from __future__ import annotations

import math

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s03():
    R = "ap-southeast-2"
    sc = Scenario(3, "recs-api-oom-exit-137", R,
                  "recommendation-api memory alarm; home-page carousels intermittently empty, some 502s.",
                  3003, kit.now(2026, 3, 10, 2, 15))
    lb = "app/personalization-alb/4e6f8a0b2c4d6e8f"
    tgid = "targetgroup/recs-api-tg/1a3c5e7f9b2d4f6a"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    hosts = {"i-03b5d7f9a1c3e5071": "personalization-ecs-1", "i-05d7f9b1c3e5a7092": "personalization-ecs-2",
             "i-07f9b1d3e5a7c9013": "personalization-ecs-3"}
    sc.resource("ecs", "personalization/recommendation-api", launch_type="EC2", task_definition="recommendation-api:64",
                image=f"{img}/recommendation-api:5.3.0", cpu=1024, memory=3072, desired_count=6,
                runtime="python3.11 (gunicorn 21.2, gthread, 4 workers)", target_group="recs-api-tg",
                log_groups=["/ecs/personalization/recommendation-api"])
    sc.resource("ecs", "personalization/feature-store-sync", launch_type="EC2", task_definition="feature-store-sync:58",
                image=f"{img}/feature-store-sync:1.12.0", cpu=512, memory=1024, desired_count=1, runtime="python3.11",
                log_groups=["/ecs/personalization/feature-store-sync"])
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="r6i.2xlarge", autoscaling_group="personalization-ecs-asg",
                    log_groups=["/ec2/personalization-ecs/messages"])
    sc.resource("alb", lb, name="personalization-alb", scheme="internal", target_groups=["recs-api-tg"])

    # OOM kills: each task reaches its 3072 MiB hard limit in turn
    kills = [-3520, -3190, -2830, -2550, -2260, -1930, -1640, -1370, -1060, -780, -470, -190]
    near = lambda t: any(0 <= t - k < 100 for k in kills)

    def mem(t):
        if t < -3600:
            return 58 + 33 * ramp(t, -9800, -3600)
        return 94.5 + 2.5 * math.sin(t / 97.0) - (10 if near(t) else 0)
    req = sc.counts(lambda t: 900 * diurnal(t, 0.18, 21600))
    e502 = [float(sc.poisson(0.2 + (22 if near(t) else 0) + 2.5 * sig(t, -3600, 60))) for t in GRID]
    t5 = kit.frac(sc, req, lambda t: 0.0005 + 0.004 * sig(t, -3600, 60))
    rt = lambda t: 0.11 + 0.09 * ramp(t, -6000, -3600) + 0.15 * sig(t, -3600, 60)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 6 - (1 if near(t) else 0), lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, e502)
    fleet.ecs(sc, "personalization", "recommendation-api", lambda t: 38 * diurnal(t, 0.18, 21600) + 9 * sig(t, -3600),
              mem, lambda t: 6 - (1 if near(t) else 0), lambda t: 6, mem_reserved_mb=3072)
    fleet.ecs(sc, "personalization", "feature-store-sync", lambda t: 12 + 40 * (-7260 < t < -6900),
              lambda t: 35 + 5 * (t > -7200), lambda t: 1 + (-7280 < t < -7160), lambda t: 1, mem_reserved_mb=1024)
    for k, iid in enumerate(hosts):
        fleet.ec2(sc, iid, lambda t, k=k: 31 + 2 * k + 5 * sig(t, -3600), mem=lambda t, k=k: 52 + 0.5 * mem(t) / 2 + k,
                  disk=(lambda t: 41 + 6 * ramp(t, -7300, -7150)) if k == 1 else (lambda t, k=k: 39.2 + k),
                  netin=lambda t: 3.4e7)

    group = "/ecs/personalization/recommendation-api"
    task_ids = [kit.task_id(sc) for _ in range(6)]
    owner = {k: i % 6 for i, k in enumerate(kills)}

    def served(t):
        return L.pylog(sc, t, "INFO", "recs.api", f"GET /v2/recs/home user={sc.rng.randint(10**6, 10**7)} "
                                               f"items=24 model=twotower-v41 took_ms={sc.rng.randint(18, 140)}")

    def coldstart(t):
        return L.pylog(sc, t, "WARNING", "recs.ranker", "fallback to popularity model for cold-start user "
                                                        f"{sc.rng.randint(10**6, 10**7)} (no embedding)")

    def monitor(t, pct):
        rss = int(3072 * pct / 100)
        return L.pylog(sc, t, "INFO", "recs.monitor", f"memory rss_mb={rss} limit_mb=3072 "
                                                    f"embeddings_cache_entries={int(rss * 420)} gc_gen2={sc.rng.randint(30, 60)}")

    def boot(t):
        d = sc.dt(t).strftime("%Y-%m-%d %H:%M:%S +0000")
        return [(t, f"[{d}] [1] [INFO] Starting gunicorn 21.2.0"),
                (t + 0.01, f"[{d}] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)"),
                (t + 0.02, f"[{d}] [1] [INFO] Using worker: gthread"),
                (t + 0.05, f"[{d}] [7] [INFO] Booting worker with pid: 7"),
                (t + 0.07, f"[{d}] [8] [INFO] Booting worker with pid: 8"),
                (t + 4.1, L.pylog(sc, t + 4.1, "INFO", "recs.model", "loaded twotower-v41 (412 MB) from s3://acme-ml-models-apse2/recs/"))]

    # each slot (task position) runs a sequence of tasks: killed at its kill times, replaced ~70 s later
    for slot in range(6):
        slot_kills = [k for k in kills if owner[k] == slot]
        starts = [-10800] + [k + 70 for k in slot_kills]
        ends = slot_kills + [-1]
        for j, (st, en) in enumerate(zip(starts, ends)):
            ev = boot(st) if j > 0 else []
            ev += kit.events(sc, L.times(sc, st + 5, en, 5), served)
            ev += kit.events(sc, L.times(sc, st + 5, en, 0.3), coldstart)
            for tm in L.every(sc, st + 30, en, 60):
                base = mem(tm) if j == 0 else min(99.5, 34 + (tm - st) / 6.0)
                ev.append((tm, monitor(tm, base + sc.rng.uniform(-2, 3) if j == 0 else base)))
            if j == 0 and slot_kills:
                w = slot_kills[0] - 25
                d = sc.dt(w).strftime("%Y-%m-%d %H:%M:%S +0000")
                ev.append((w, f"[{d}] [1] [CRITICAL] WORKER TIMEOUT (pid:8)"))
            tid = task_ids[slot] if j == 0 else kit.task_id(sc)
            sc.log(group, f"recs/recommendation-api/{tid}", ev)

    evs, hostnames = [], list(hosts.values())
    for k in kills:
        tid = kit.task_id(sc)
        evs.append((k + 3, L.ecs_task_event(sc, k + 3, R, kit.ACCOUNT, "personalization", "recommendation-api", tid,
                                            "recommendation-api:64", "STOPPED", "STOPPED", "EssentialContainerExited",
                                            "OutOfMemoryError: Container killed due to memory usage", 137,
                                            container="recommendation-api")))
    sc.log("/aws/events/ecs/personalization", "ecs-task-state-change", evs)
    for k, (iid, name) in enumerate(hosts.items()):
        ev = kit.events(sc, L.every(sc, -10800, -1, 600), lambda t: L.syslog(
            sc, t, f"ip-10-60-{12 + k}-{40 + k}", "systemd[1]", "Started Amazon ECS Container Agent health check."))
        for kt in kills:
            if owner[kt] % 3 == k:
                pid = sc.rng.randint(20000, 60000)
                ev.append((kt, L.syslog(sc, kt, f"ip-10-60-{12 + k}-{40 + k}", "kernel",
                                        f"Memory cgroup out of memory: Killed process {pid} (gunicorn) total-vm:4391220kB, "
                                        f"anon-rss:3121804kB, file-rss:10240kB, shmem-rss:0kB, UID:1000 pgtables:6520kB oom_score_adj:0")))
        sc.log("/ec2/personalization-ecs/messages", iid, ev)
    fs = [(-7210, L.pylog(sc, -7210, "INFO", "fss.main", "feature-store-sync 1.12.0 starting (schedule=*/5 * * * *)"))]
    fs += kit.events(sc, L.every(sc, -7200, -1, 300), lambda t: L.pylog(
        sc, t, "INFO", "fss.sync", f"synced {sc.rng.randint(3000, 9000)} user feature rows to redis in {sc.rng.randint(4, 19)}s"))
    sc.log("/ecs/personalization/feature-store-sync", f"fss/feature-store-sync/{kit.task_id(sc)}", fs)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-7330, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "feature-store-sync:58", gh)
    sc.change(-7300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "personalization/feature-store-sync", gh)

    dims = {"ClusterName": "personalization", "ServiceName": "recommendation-api"}
    a = sc.alarm("recommendation-api-memory-high", "AWS/ECS", "MemoryUtilization", dims, "Average", 60, 5, 88,
                 "GreaterThanThreshold", m=3, desc="recommendation-api tasks near their 3 GiB hard limit",
                 expect_state="ALARM")
    res = ["personalization/recommendation-api", "recommendation-api"]
    sc.expect(a["name"], "memory_exhaustion", res, [("AWS/ECS", "MemoryUtilization", dims)])
    kit.meta(sc, a["name"], "memory_exhaustion", res, "origin (ECS service)",
             "feature-store-sync deploy 2 h earlier (and its container-instance disk bump); constant cold-start "
             "warnings; ALB 502 spikes are a symptom",
             "No change touched recommendation-api in the window. Its tasks' RSS climbs with the embeddings cache (the "
             "app's own memory lines) until each container hits its 3072 MiB hard limit: ECS stops tasks with "
             "'OutOfMemoryError: Container killed due to memory usage' and exit code 137, the container hosts log "
             "'Memory cgroup out of memory: Killed process ... (gunicorn)', RunningTaskCount dips at every kill and "
             "the ALB returns 502s at those moments. Memory at the limit plus OOM kills is memory_exhaustion of the "
             "service; the feature-store-sync release is unrelated and healthy.")
    return sc


def s04():
    R = "us-west-2"
    sc = Scenario(4, "orders-web-root-disk-full", R,
                  "Disk critical alarm on orders-web-3; a slice of order-history and invoice requests fail.",
                  3004, kit.now(2026, 3, 11, 18, 5))
    lb = "app/orders-alb/0c2e4a6b8d0f1a3c"
    tgid = "targetgroup/orders-web-tg/7b9d1f3a5c7e9b1d"
    fleet_ids = {"i-0c4d2e8f1a3b5c7d9": "orders-web-1", "i-0e6f4a2c8b1d3f5a7": "orders-web-2",
                 "i-0a1c3e5b7d9f2a4c6": "orders-web-3", "i-0b2d4f6a8c1e3b5d8": "orders-web-4"}
    bad = "i-0a1c3e5b7d9f2a4c6"
    groups = ["/ec2/orders-web/app", "/ec2/orders-web/messages"]
    for iid, name in fleet_ids.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", autoscaling_group="orders-web-asg",
                    root_volume="gp3 30 GiB (ext4, 5 % reserved for root)", log_groups=groups)
    sc.resource("ec2", "i-0f3a5c7e9b2d4f6a8", name="orders-admin-1", instance_type="t3.large",
                autoscaling_group="orders-admin-asg")
    sc.resource("alb", lb, name="orders-alb", scheme="internet-facing", target_groups=["orders-web-tg"])
    sc.resource("rds", "orders-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=2000, allocated_storage_gb=400)

    T_FULL = -2040
    full = lambda t: sig(t, T_FULL, 40)
    req = sc.counts(lambda t: 1600 * diurnal(t, 0.1, -10000))
    share3 = [float(sc.poisson(r / 4.0)) for r in req]
    t5 = [float(sc.poisson(0.6 + s * 0.24 * full(t))) for t, s in zip(GRID, share3)]
    e5 = [float(sc.poisson(0.1)) for _ in GRID]
    rt = lambda t: 0.072 + 0.006 * full(t)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 4, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, e5)
    for iid in fleet_ids:
        if iid == bad:
            disk = lambda t: min(100.0, 74 + 26 * ramp(t, -21600, T_FULL))
        else:
            off = sc.rng.uniform(0, 4)
            disk = lambda t, o=off: 43 + o + 0.6 * ramp(t, -21600, 0)
        cpu = (lambda t: 24 + 50 * (-12060 < t < -11700)) if fleet_ids[iid] == "orders-web-1" else (lambda t: 24)
        fleet.ec2(sc, iid, cpu, mem=lambda t: 61, disk=disk, netin=lambda t: 1.8e7,
                  disk_dims={"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "ext4"})
    fleet.ec2(sc, "i-0f3a5c7e9b2d4f6a8", lambda t: 8 + 30 * (-3600 < t < -3300), mem=lambda t: 40,
              disk=lambda t: 35.0)
    fleet.rds(sc, "orders-mysql", lambda t: 21, lambda t: 130, lambda t: 288.0, lambda t: 5.5,
              read_iops=lambda t: 700, write_iops=lambda t: 380)

    app = "orders-web"

    def ok_line(t):
        return L.spring(sc, t, "INFO", "c.a.orders.web.OrderHistoryController",
                        f"GET /api/orders/history customer={sc.rng.randint(10**6, 10**7)} rows={sc.rng.randint(0, 40)} "
                        f"took={sc.rng.randint(8, 90)}ms", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}")

    def webhook(t):
        return L.spring(sc, t, "ERROR", "c.a.orders.payments.WebhookVerifier",
                        "Rejected payment webhook: signature mismatch for endpoint we_1OxR2kLrq8PZ (event evt_"
                        f"{sc.hexid(14)})", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}")

    def enospc(t):
        oid = sc.rng.randint(10**7, 10**8)
        return (L.spring(sc, t, "ERROR", "c.a.orders.invoice.InvoiceController",
                         f"Invoice render failed for order {oid}", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}")
                + "\njava.io.IOException: No space left on device\n"
                  "\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)\n"
                  "\tat java.base/java.io.FileOutputStream.write(FileOutputStream.java:367)\n"
                  "\tat com.lowagie.text.pdf.PdfWriter.close(PdfWriter.java:1194)\n"
                  f"\tat com.acme.orders.invoice.PdfRenderer.renderToTemp(PdfRenderer.java:88)\n"
                  "\tat com.acme.orders.invoice.InvoiceController.download(InvoiceController.java:41)")

    def logback_fail(t):
        return ("ERROR in ch.qos.logback.core.rolling.RollingFileAppender[FILE] - IO failure in appender "
                "java.io.IOException: No space left on device")

    for iid, name in fleet_ids.items():
        host = f"ip-10-20-{sc.rng.randint(1, 40)}-{sc.rng.randint(5, 250)}"
        end = T_FULL + 30 if iid == bad else -1
        ev = kit.events(sc, L.times(sc, -10800, end, 9), ok_line)
        ev += kit.events(sc, L.times(sc, -10800, end, 0.35), webhook)
        if iid == bad:
            ev += kit.events(sc, L.times(sc, T_FULL - 300, T_FULL + 30, 4), enospc)
        sc.log("/ec2/orders-web/app", iid, ev)
        msgs = kit.events(sc, L.every(sc, -10800, -1, 900), lambda t: L.syslog(
            sc, t, host, "systemd[1]", sc.rng.choice(["Starting dnf makecache.service - dnf makecache...",
                                                      "Finished systemd-tmpfiles-clean.service - Cleanup of Temporary Directories.",
                                                      "Started sysstat-collect.service - system activity accounting tool."])))
        if iid == bad:
            msgs.append((-15790, L.syslog(sc, -15790, host, "logrotate[18231]",
                                          'error: skipping "/var/log/orders-web/app.log" because parent directory has '
                                          'insecure permissions (It\'s world writable or writable by group which is not '
                                          '"root") Set "su" directive in config file to tell logrotate which user/group '
                                          "should be used for rotation.")))
            msgs.append((-15789, L.syslog(sc, -15789, host, "systemd[1]",
                                          "logrotate.service: Main process exited, code=exited, status=1/FAILURE")))
            msgs += kit.events(sc, L.times(sc, T_FULL - 120, -1, 3), lambda t: L.syslog(
                sc, t, host, "orders-web[2291]", logback_fail(t)))
            msgs += kit.events(sc, L.times(sc, T_FULL, -1, 6), lambda t: L.syslog(
                sc, t, host, "orders-web[2291]", enospc(t).replace("\n", " ")))
            msgs += kit.events(sc, L.times(sc, T_FULL, -1, 7), lambda t: L.syslog(sc, t, host, "nginx", (
                f"{sc.dt(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 1944#1944: *{sc.rng.randint(10**6, 10**7)} pwrite() "
                f"\"/var/lib/nginx/tmp/proxy/{sc.rng.randint(0, 9)}/{sc.rng.randint(10, 99)}/00000{sc.rng.randint(10000, 99999)}\" "
                "failed (28: No space left on device) while reading upstream, client: 10.20.0.17, server: _, "
                "request: \"GET /api/orders/history?page=2 HTTP/1.1\", upstream: \"http://127.0.0.1:8080/api/orders/history?page=2\"")))
        sc.log("/ec2/orders-web/messages", iid, msgs)

    cd = [(-3590 + i * 40, L.syslog(sc, -3590 + i * 40, "ip-10-20-9-14", "codedeploy-agent[2011]", m)) for i, m in enumerate([
        "[Aws::CodeDeployPlugin::CommandPoller]: Received command: DownloadBundle", "ApplicationStop succeeded",
        "BeforeInstall succeeded", "Install succeeded", "ApplicationStart succeeded", "ValidateService succeeded"])]
    sc.log("/ec2/orders-web/messages", "i-0f3a5c7e9b2d4f6a8", cd)
    sc.change(-3620, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "orders-admin-prod", "assumed-role/codepipeline-orders-admin/CodePipeline")

    ddims = {"InstanceId": bad, "path": "/", "device": "nvme0n1p1", "fstype": "ext4"}
    sc.alarm("orders-web-3-disk-warn", "CWAgent", "disk_used_percent", ddims, "Maximum", 300, 1, 85,
             "GreaterThanThreshold", desc="Root volume above 85 %", expect_state="ALARM")
    a = sc.alarm("orders-web-3-disk-critical", "CWAgent", "disk_used_percent", ddims, "Maximum", 300, 1, 98,
                 "GreaterThanOrEqualToThreshold", desc="Root volume nearly full on orders-web-3", expect_state="ALARM")
    res = [bad, "orders-web-3"]
    sc.expect(a["name"], "storage_exhaustion", res, [("CWAgent", "disk_used_percent", ddims)])
    kit.meta(sc, a["name"], "storage_exhaustion", res, "origin (instance disk)",
             "CodeDeploy release of orders-admin 1 h earlier; constant webhook-signature errors on every instance; "
             "CPU blip on orders-web-1 3.3 h earlier",
             "Only orders-web-3's root volume grows, steadily, all afternoon: its logrotate run failed ('skipping "
             "/var/log/orders-web/app.log because parent directory has insecure permissions') so app.log was never "
             "rotated. About 34 minutes ago the disk reached 100 %: invoice PDFs fail with 'java.io.IOException: No space "
             "left on device', nginx cannot buffer upstream responses (28: No space left on device), Logback cannot write "
             "app.log (only root-owned syslog still lands in the 5 % reserved blocks), and the ALB sees 5XX from that one target while /healthz still passes. "
             "The other three instances sit at ~45 %. Disk full on one instance: storage_exhaustion of orders-web-3.")
    return sc
