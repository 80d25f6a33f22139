"""h26-07 pdf-renderer tasks OOM-killed (ECS memory alarm) and
h26-08 legacy-api-1 root volume filled by a nightly export (EC2 disk alarm)."""
from __future__ import annotations

import datetime as dt
import json

from .common import (MINUTES, Scenario, alb_metrics, diurnal, ec2_metrics, ecs_metrics, gauss,
                     lambda_metrics, poisson, ramp, simple_lambda_model)
from .logfmt import LambdaLogs, ip, log_minutes, nginx_access, py, rails, spread

ACCT = "264019537812"


# =========================================================================== 07
def build_07():
    sc = Scenario("h26-07-pdf-renderer-container-oom", 2607, "eu-west-1",
                  "pdf-renderer memory alarm; document downloads intermittently fail with 502.",
                  dt.datetime(2026, 11, 24, 11, 20, 0))
    rng = sc.rng
    lb = "app/docs-alb/6a0b2c4d8e1f3a57"
    sc.resource("ecs", "docs/pdf-renderer", cluster="docs", service_name="pdf-renderer", launch_type="FARGATE",
                task_cpu=1024, task_memory=2048, desired_count=3, task_definition="pdf-renderer:57",
                runtime="node20 + headless chromium", log_groups=["/ecs/pdf-renderer"])
    sc.resource("ecs", "docs/doc-api", cluster="docs", service_name="doc-api", launch_type="FARGATE",
                task_cpu=512, task_memory=1024, desired_count=2, log_groups=["/ecs/doc-api"])
    sc.resource("alb", lb, name="docs-alb", scheme="internet-facing", target_groups=["pdf-renderer-tg", "doc-api-tg"])

    onset = -2160
    # per-task memory simulation; a task killed at 100 % restarts ~70 s later
    tasks = [{"id": sc.hexid(), "start": -99999, "mem": gauss(rng, 44, 3), "log": []} for _ in range(3)]
    dead, kills, svc_mem, svc_cpu, healthy = [], [], {}, {}, {}
    all_tasks = list(tasks)
    for t in MINUTES:
        mx, alive = 0.0, 0
        for i, tk in enumerate(tasks):
            if tk is None:
                continue
            if t >= onset and tk["start"] + 60 <= t:
                tk["mem"] += rng.uniform(2, 17) * tk.setdefault("k", rng.uniform(0.6, 1.4))
            else:
                tk["mem"] = gauss(rng, 44, 3)
            if tk["mem"] >= 100:
                kills.append((t + rng.uniform(5, 50), tk["id"]))
                nt = {"id": sc.hexid(), "start": t + 70, "mem": 31.0, "log": []}
                all_tasks.append(nt)
                tasks[i] = nt
                mx = max(mx, 100.0)
                continue
            mx = max(mx, tk["mem"])
            alive += 1 if tk["start"] + 40 <= t else 0
        svc_mem[t] = min(100.0, mx)
        svc_cpu[t] = gauss(rng, 71, 6, 30, 99) if t >= onset else gauss(rng, 24, 4, 5)
        healthy[t] = alive
    d = {"ClusterName": "docs", "ServiceName": "pdf-renderer"}
    sc.series("AWS/ECS", "CPUUtilization", d, "Percent", svc_cpu)
    sc.series("AWS/ECS", "MemoryUtilization", d, "Percent", svc_mem)
    ecs_metrics(sc, "docs", "doc-api", lambda t: gauss(rng, 18, 3, 4) + (22 if -5200 <= t <= -5020 else 0),
                lambda t: gauss(rng, 39, 1))
    kill_min = {}
    for kt, _ in kills:
        kill_min[int(kt // 60 * 60)] = kill_min.get(int(kt // 60 * 60), 0) + 1
    req, t5, e5, rt, hh, uh = {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 210 * diurnal(t, 0.2, phase_h=-6))
        req[t] = n
        e5[t] = sum(poisson(rng, 6) for _ in range(kill_min.get(t, 0))) + (poisson(rng, 2) if t >= onset and healthy[t] < 3 else 0) + poisson(rng, 0.05)
        t5[t] = poisson(rng, 1.5) if t >= onset else poisson(rng, 0.2)
        rt[t] = gauss(rng, 1.9, 0.3, 0.8) if t >= onset else gauss(rng, 0.62, 0.06, 0.3)
        hh[t] = 2 + healthy[t]       # doc-api (2) + renderer tasks
        uh[t] = 5 - hh[t]
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh)

    # ---- logs
    heavy = "t_9184 (northwind-logistics)"
    for tk in all_tasks:
        ev = tk["log"]
        st = max(tk["start"], -10800)
        if tk["start"] > -10800:
            ev.append((st + 2, json.dumps({"level": "info", "time": sc.iso(st + 2), "msg": "pdf-renderer 4.12.0 listening on :3000", "chromium": "121.0.6167.85"})))
        end = next((kt for kt, kid in kills if kid == tk["id"]), 1)
        rss = 700.0 if tk["start"] < onset else 520.0
        for t in log_minutes():
            if t < st or t >= end:
                continue
            for tt in spread(rng, t, poisson(rng, 4.5)):
                if tt >= end:
                    continue
                big = t >= onset and rng.random() < 0.3
                pages = rng.randint(220, 460) if big else rng.randint(1, 18)
                ten = heavy if big else "t_%04d" % rng.randint(1000, 9999)
                ev.append((tt, json.dumps({"level": "info", "time": sc.iso(tt), "msg": "render start", "job": "job_" + sc.hexid(10), "tenant": ten, "pages": pages, "images": pages * rng.randint(2, 5) if big else rng.randint(0, 12)})))
                if rng.random() < 0.05:
                    ev.append((tt + 0.2, json.dumps({"level": "warn", "time": sc.iso(tt + 0.2), "msg": "Font 'Helvetica Neue' not found, substituting 'Liberation Sans'"})))
                if not big:
                    ev.append((tt + rng.uniform(0.4, 1.5), json.dumps({"level": "info", "time": sc.iso(tt + 1.5), "msg": "render complete", "pages": pages, "ms": rng.randint(380, 1500)})))
            if t >= onset and t >= tk["start"] + 60:
                rss = min(2030.0, rss + rng.uniform(120, 280))
            else:
                rss = gauss(rng, 880, 60, 600)
            ev.append((t + 30, json.dumps({"level": "info", "time": sc.iso(t + 30), "msg": "process stats", "rss_mb": int(rss * 0.55), "chromium_rss_mb": int(rss * 0.45), "limit_mb": 2048, "open_pages": rng.randint(1, 3) if t < onset else rng.randint(3, 7)})))
            if rss > 1700 and rng.random() < 0.5:
                ev.append((t + 41, json.dumps({"level": "error", "time": sc.iso(t + 41), "msg": "render failed", "err": "Protocol error (Page.printToPDF): Target closed", "tenant": heavy})))
        sc.log("/ecs/pdf-renderer", "ecs/pdf-renderer/" + tk["id"], ev)
    evl = []
    for kt, kid in kills:
        if kt < -10800:
            continue
        evl.append((kt + 3, json.dumps({"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs", "account": ACCT,
                                        "time": sc.iso(kt + 3)[:19] + "Z", "region": "eu-west-1", "resources": ["arn:aws:ecs:eu-west-1:%s:task/docs/%s" % (ACCT, kid)],
                                        "detail": {"clusterArn": "arn:aws:ecs:eu-west-1:%s:cluster/docs" % ACCT, "group": "service:pdf-renderer", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                                                   "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
                                                   "containers": [{"name": "pdf-renderer", "exitCode": 137, "reason": "OutOfMemoryError: Container killed due to memory usage", "lastStatus": "STOPPED"}],
                                                   "taskDefinitionArn": "arn:aws:ecs:eu-west-1:%s:task-definition/pdf-renderer:57" % ACCT}}, separators=(",", ":"))))
    sc.log("/aws/events/ecs-task-state-change", "docs-cluster", evl)
    dl = []
    for t in log_minutes():
        if t == -5160:
            dl.append((t + 4, '{"level":"info","time":"%s","msg":"doc-api 2.7.3 listening on :8080"}' % sc.iso(t + 4)))
        dl.append((t + 15, '{"level":"info","time":"%s","msg":"request summary","window_s":60,"count":%d,"p95_ms":%d}' % (sc.iso(t + 15), rng.randint(60, 120), rng.randint(40, 90))))
    sc.log("/ecs/doc-api", "ecs/doc-api/" + sc.hexid(), dl)

    sc.change(-5230, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "doc-api", "github-actions-deploy")
    sc.change(-5200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "docs/doc-api", "github-actions-deploy")
    sc.alarm("pdf-renderer-memory-high", "AWS/ECS", "MemoryUtilization", d, "Maximum", 300, 1, 95,
             "GreaterThanThreshold", "ALARM", -1800, "pdf-renderer tasks near their memory limit")
    sc.alarm("docs-alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "ALARM", -1500)
    sc.expect = {"alarm": "pdf-renderer-memory-high",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["docs/pdf-renderer", "pdf-renderer"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": d}]}
    sc.meta = dict(front="origin (ECS)", decoys="doc-api routine ECS deploy ~50 min before onset in the same cluster; pre-existing font-substitution WARN; docs-alb 5XX alarm firing as a consequence",
                   story="From -36 min one tenant's 200-460-page statement batches land on pdf-renderer. Each task's memory (Node + headless Chromium, 'process stats' lines) climbs within minutes to its 2 GiB limit, and the ECS task-state events show the containers stopped with exit code 137 'OutOfMemoryError: Container killed due to memory usage'. The tasks are replaced and fill up again, so MemoryUtilization saws up to 100 %. docs-alb returns 502s when a task dies mid-request and pages separately. Nobody changed pdf-renderer; the doc-api deploy is another service 50 minutes earlier, and the font warning is old noise. Judgement: memory_exhaustion on docs/pdf-renderer.")
    return sc


# =========================================================================== 08
def build_08():
    sc = Scenario("h26-08-legacy-api-disk-full", 2608, "ap-southeast-2",
                  "legacy-api-1 disk usage alarm; partner uploads to the legacy API are failing.",
                  dt.datetime(2026, 11, 22, 4, 40, 0))
    rng = sc.rng
    iid, name = "i-0e1f2a3b4c5d6e7f8", "legacy-api-1"
    other = ("i-0f2a3b4c5d6e7f809", "billing-batch-1")
    lb = "app/legacy-alb/2b7c9d1e3f5a6b80"
    sc.resource("ec2", iid, name=name, instance_type="t3.large", root_volume_gb=50, private_ip="10.30.1.27",
                app="Rails 6.1 on Puma behind nginx", log_groups=["/legacy-api/nginx/access", "/legacy-api/nginx/error", "/legacy-api/puma", "/legacy-api/cron"])
    sc.resource("ec2", other[0], name=other[1], instance_type="c6i.xlarge", app="nightly invoice batch")
    sc.resource("alb", lb, name="legacy-alb", scheme="internet-facing", target_groups=["legacy-api-tg"])
    sc.resource("lambda", "geo-lookup", runtime="nodejs20.x", timeout=10, memory_size=256)

    exp0, full = -9600, -1920
    def disk(t):
        if t < exp0:
            return 71.0 + (t + 21600) / 21600.0 * 0.25
        return min(100.0, ramp(t, exp0, full, 71.2, 100.0))
    ec2_metrics(sc, iid, lambda t: gauss(rng, 22 if t >= exp0 else 14, 3, 3), lambda t: gauss(rng, 58, 1),
                lambda t: disk(t) if disk(t) >= 100 else gauss(rng, disk(t), 0.05), lambda t: gauss(rng, 2.2e6, 3e5, 1e5))
    nb = lambda t: -9000 <= t <= -7300
    ec2_metrics(sc, other[0], lambda t: gauss(rng, 94, 3, 75, 100) if nb(t) else gauss(rng, 3, 1, 0.5),
                lambda t: gauss(rng, 66 if nb(t) else 21, 1.5), lambda t: gauss(rng, 44, 0.2),
                lambda t: gauss(rng, 1.8e7 if nb(t) else 1e5, 2e6 if nb(t) else 2e4, 1e4))
    gl = simple_lambda_model(rng, lambda t: 14, lambda t: gauss(rng, 35, 8, 10))
    lambda_metrics(sc, "geo-lookup", *gl)

    full_now = lambda t: t >= full
    req, t5, e5, rt, hh, uh, t4 = {}, {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 55 * diurnal(t, 0.4, phase_h=-6))
        req[t] = n
        t5[t] = poisson(rng, 0.3 * n) if full_now(t) else poisson(rng, 0.1)
        e5[t], t4[t] = poisson(rng, 0.05), poisson(rng, 1.5)
        rt[t] = gauss(rng, 0.14, 0.02, 0.05)
        hh[t], uh[t] = 1, 0
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh, t4)

    acc, err, puma = [], [], []
    paths = [("GET", "/api/v1/shipments/%d"), ("GET", "/api/v1/rates?zip=%d"), ("POST", "/api/v1/uploads"), ("GET", "/health")]
    for t in log_minutes():
        for tt in spread(rng, t, req[t]):
            m, p = rng.choice(paths)
            p = p % rng.randint(1000, 99999) if "%d" in p else p
            if full_now(t):
                if m == "POST" or (p.startswith("/api/v1/rates") and rng.random() < 0.6):
                    if m == "POST":
                        fpath = "uploads/RackMultipart%s-%d-%s.pdf" % (sc.wall(tt).strftime("%Y%m%d"), rng.randint(2800, 2900), sc.hexid(6))
                    else:
                        fpath = "cache/%s/%s/rates%%3A%s" % (sc.hexid(3).upper(), sc.hexid(3).upper(), p.split("=")[1])
                    puma.append((tt, "%s Rack app (\"%s %s\" - (%s)): #<Errno::ENOSPC: No space left on device @ rb_sysopen - /var/www/legacy-api/shared/tmp/%s>"
                                 % (sc.wall(tt).strftime("%Y-%m-%d %H:%M:%S +0000"), m, p, ip(rng, "10.30"), fpath)))
                if rng.random() < 0.5:
                    puma.append((tt + 0.01, "log writing failed. No space left on device @ io_write - /var/www/legacy-api/shared/log/production.log"))
                continue
            acc.append((tt, nginx_access(sc, tt, ip(rng, "10.30"), m, p, 201 if m == "POST" else 200, rng.randint(120, 9000),
                                         rng.choice(["partner-sync/2.3", "okhttp/4.12.0", "ELB-HealthChecker/2.0"]), rng.uniform(0.03, 0.3))))
            if rng.random() < 0.04:
                puma.append((tt + 0.02, rails(sc, tt + 0.02, "WARN", 2841, sc.uuid(), "DEPRECATION WARNING: Time#to_s(:db) is deprecated. Please use Time#to_fs(:db) instead. (called from ShipmentSerializer#as_json at /var/www/legacy-api/releases/20261003/app/serializers/shipment_serializer.rb:27)")))
    for t in range(-10800, full, 300):
        err.append((t + 17, "%s [warn] 2114#2114: *%d an upstream response is buffered to a temporary file /var/lib/nginx/tmp/proxy/%010d while reading upstream, client: %s, server: legacy-api, request: \"GET /api/v1/shipments/export HTTP/1.1\", upstream: \"http://unix:/var/www/legacy-api/shared/sockets/puma.sock:/api/v1/shipments/export\""
                    % (sc.ngx_err_ts(t + 17), rng.randint(10000, 99999), rng.randint(1, 99999), ip(rng, "10.30"))))
    for tt in spread(rng, full - 120, 6):
        err.append((tt, "%s [crit] 2114#2114: *%d pwrite() \"/var/lib/nginx/tmp/client_body/%010d\" failed (28: No space left on device), client: %s, server: legacy-api, request: \"POST /api/v1/uploads HTTP/1.1\""
                    % (sc.ngx_err_ts(tt), rng.randint(10000, 99999), rng.randint(1, 99999), ip(rng, "10.30"))))
    sc.log("/legacy-api/nginx/access", iid, acc)
    sc.log("/legacy-api/nginx/error", iid, err)
    sc.log("/legacy-api/puma", iid, puma)
    cron = [(exp0 + 0.5, "%s legacy-api-1 CRON[31877]: (deploy) CMD (cd /var/www/legacy-api/current && RAILS_ENV=production bundle exec rails runner 'NightlyPartnerExport.run' >> /var/www/legacy-api/shared/log/nightly_export.log 2>&1)" % sc.wall(exp0).strftime("%b %d %H:%M:%S"))]
    for k, t in enumerate(range(exp0 + 600, full, 600)):
        cron.append((t, "%s legacy-api-1 nightly_export[31880]: wrote /var/www/legacy-api/shared/exports/partner_%02d_orders_2026-11.csv (%.2f GB)" % (sc.wall(t).strftime("%b %d %H:%M:%S"), k + 1, rng.uniform(1.0, 1.4))))
    sc.log("/legacy-api/cron", iid, cron)
    gll = LambdaLogs(sc, "geo-lookup", 256)
    for t in log_minutes(-3600):
        for tt in spread(rng, t, gl[0][t]):
            gll.invoke(tt, [(0.004, "%s\t@RID@\tINFO\tlookup postcode=%d -> %s" % ("@TS@", rng.randint(2000, 7000), rng.choice(["NSW", "VIC", "QLD"])))], gauss(rng, 35, 8, 10), 71)
    gll.emit()

    sc.change(-4400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "geo-lookup", "ci-deployer")
    sc.alarm("legacy-api-1-disk-used", "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
             "Average", 300, 1, 97, "GreaterThanThreshold", "ALARM", -2580, "legacy-api-1 root volume almost full")
    sc.alarm("legacy-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "ALARM", None)
    sc.alarm("billing-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": other[0]}, "Average", 300, 3, 90,
             "GreaterThanThreshold", "OK", -7200)
    sc.expect = {"alarm": "legacy-api-1-disk-used",
                 "root_cause": {"category": "storage_exhaustion", "resource": [iid, name]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": {"InstanceId": iid, "path": "/", "fstype": "xfs"}}]}
    sc.meta = dict(front="origin (EC2)", decoys="billing-batch-1 nightly CPU spike on another instance (alarm fired and cleared); geo-lookup routine Lambda deploy; pre-existing Rails DEPRECATION WARNING and nginx 'buffered to a temporary file' warnings",
                   story="The nightly partner export cron on legacy-api-1 started at -2 h 40 min and writes ~1.2 GB CSVs to the instance's 50 GB root volume every ten minutes; disk_used_percent climbs from 71 % to 100 % at -32 min. From then on nginx cannot buffer upload bodies (pwrite ... 28: No space left on device), Puma reports Errno::ENOSPC for uploads and 'log writing failed', and the access log stops being written, while the ALB's target 5XX alarm fires as a consequence. CPU and memory are normal. The billing-batch-1 CPU spike is a different instance's nightly job and the geo-lookup deploy is unrelated. Judgement: storage_exhaustion on legacy-api-1.")
    return sc
