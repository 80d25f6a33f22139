"""h21-03 (PostgreSQL connection slots, ECS on EC2 callers) and h21-04 (EC2 OOM behind ALB)."""
from __future__ import annotations

import json

from .common import LogSink, Rng, alarm, change, diurnal, iso, plain_ts, ramp, scenario, times, wall
from .kits import alb_set, ec2_set, ecs_set, rds_set


# ----------------------------------------------------------------------------- 03
def s03():
    rng = Rng(2103)
    region = "eu-central-1"
    lb, tg = "app/warehouse-alb/9c3e5a7b1d2f4068", "targetgroup/inventory-api-tg/4d6f8b0a2c4e6a81"
    host = "inventory-pg.c8xk2mq4vz1r.eu-central-1.rds.amazonaws.com"
    t_leak, t_full = -4300, -1560
    sink = LogSink()

    def conns(t):
        return 62 * diurnal(t, 0.05, 6) + 135 * ramp(t, t_leak, t_full) ** 0.9 if t < t_full else 197

    api_grp, sync_grp, pg_grp = "/ecs/inventory-api", "/ecs/stock-sync", "/aws/rds/instance/inventory-pg/postgresql"
    tasks = [f"inventory-api/inventory-api/{rng.hexid(32)}" for _ in range(4)]
    sync_task = f"stock-sync/stock-sync/{rng.hexid(32)}"
    log_start = -7200
    err_min = {}

    def zl(stream, t, level, caller, msg, **kv):
        d = {"level": level, "ts": iso(t), "caller": caller, "msg": msg}
        d.update(kv)
        sink.add(api_grp, stream, t, json.dumps(d))

    def pg(t, user, ip, pid, level, msg):
        sink.add(pg_grp, "inventory-pg.0", t,
                 f"{plain_ts(t, ms=False)} UTC:{ip}({rng.randint(40000, 65000)}):{user}@inventory:[{pid}]:{level}:  {msg}")

    def pg_bg(t, msg):
        sink.add(pg_grp, "inventory-pg.0", t, f"{plain_ts(t, ms=False)} UTC::@:[617]:LOG:  {msg}")

    slot_msg = "remaining connection slots are reserved for non-replication superuser connections"
    batch = 18200
    for m in range(log_start, 0, 60):
        for s in tasks:
            full = m >= t_full
            zl(s, m + rng.uniform(0, 3), "info", "store/pool.go:61", "pg pool stats", total_conns=10 if not full else rng.randint(6, 9),
               idle_conns=rng.randint(4, 8) if not full else 0, acquired_conns=rng.randint(1, 4) if not full else rng.randint(6, 9),
               max_conns=10, empty_acquire_count=0 if not full else rng.randint(30, 90))
        for _ in range(rng.poisson(38 * diurnal(m, 0.08, 6))):
            t = m + rng.uniform(0, 59.8)
            s = rng.choice(tasks)
            sku = f"SKU-{rng.randint(100000, 999999)}"
            if m >= t_full and rng.random() < 0.55:
                ip = f"10.20.{rng.randint(10, 13)}.{rng.randint(5, 250)}"
                zl(s, t, "error", "handlers/reserve.go:118", "reserve stock failed", sku=sku, status=500,
                   error=f"failed to connect to `host={host} user=inventory_api database=inventory`: server error "
                         f"(FATAL: {slot_msg} (SQLSTATE 53300))")
                pg(t - 0.004, "inventory_api", ip, rng.randint(9000, 32000), "FATAL", slot_msg)
                err_min[m] = err_min.get(m, 0) + 1
            else:
                zl(s, t, "info", "handlers/reserve.go:131", "stock reserved", sku=sku, qty=rng.randint(1, 6),
                   warehouse=rng.choice(["FRA1", "FRA2", "MUC1"]), duration_ms=round(rng.uniform(6, 24), 1))
        if rng.random() < 0.5:  # pre-existing, constant-rate warning
            zl(rng.choice(tasks), m + rng.uniform(0, 59), "warn", "catalog/client.go:77", "sku not in catalog cache, falling back to db",
               sku=f"SKU-{rng.randint(100000, 999999)}")
        # stock-sync worker: opens a transaction per supplier batch; since t_leak the batches never finish
        if m % 300 == 0:
            batch += 1
            stuck = m >= t_leak
            sink.add(sync_grp, sync_task, m + 0.5, f"{plain_ts(m + 0.5)} INFO  [sync] batch {batch} started supplier=SUP-{rng.randint(10, 99)} lines={rng.randint(800, 4000)}")
            if not stuck:
                sink.add(sync_grp, sync_task, m + 41.2, f"{plain_ts(m + 41.2)} INFO  [sync] batch {batch} committed in {rng.uniform(30, 48):.1f}s")
            else:
                sink.add(sync_grp, sync_task, m + 240.0, f"{plain_ts(m + 240.0)} WARN  [sync] batch {batch} still open after 240s, "
                                                           f"{rng.randint(4, 9)} supplier feeds pending; spawning extra readers")
        if m >= t_leak and m < t_full:
            for _ in range(rng.poisson(3.2)):
                t = m + rng.uniform(0, 59)
                pg(t, "stock_sync", f"10.20.14.{rng.randint(5, 60)}", rng.randint(9000, 32000), "LOG",
                   "connection authorized: user=stock_sync database=inventory application_name=stock-sync SSL enabled "
                   "(protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)")
        if m % 600 == 0:
            pg_bg(m + 17, "checkpoint starting: time")
            pg_bg(m + 47, f"checkpoint complete: wrote {rng.randint(900, 2600)} buffers ({rng.uniform(0.5, 2):.1f}%); "
                          f"0 WAL file(s) added, 0 removed, 1 recycled; write={rng.uniform(26, 29):.3f} s, sync=0.004 s, "
                          f"total={rng.uniform(29, 30):.3f} s")

    def t5xx(t):
        return err_min.get(int(t), 0) + 0.1 if t >= log_start else 0.1

    metrics = alb_set(rng, lb, req=lambda t: 420 * diurnal(t, 0.08, 6), rt=lambda t: 0.024 + (0.03 if t >= t_full else 0),
                      t5xx=t5xx, t4xx=lambda t: 3, tgs=[(tg, lambda t: 4, lambda t: 0)])
    metrics += ecs_set(rng, "warehouse", "inventory-api", cpu=lambda t: 21 * diurnal(t, 0.08, 6), mem=lambda t: 34,
                       running=lambda t: 4, desired=lambda t: 4)
    metrics += ecs_set(rng, "warehouse", "stock-sync", cpu=lambda t: 9 + 5 * ramp(t, t_leak, t_full), mem=lambda t: 22 + 9 * ramp(t, t_leak, 0),
                       running=lambda t: 1, desired=lambda t: 1)
    metrics += ecs_set(rng, "warehouse", "label-printer", cpu=lambda t: 6, mem=lambda t: 18 if t < -3000 else 15,
                       running=lambda t: 2 if t < -3000 or t > -2880 else 4, desired=lambda t: 2)
    metrics += rds_set(rng, "inventory-pg", cpu=lambda t: 29 + 4 * ramp(t, t_leak, t_full), conns=conns,
                       free_storage_gb=lambda t: 212 - 0.00001 * (t + 21600),
                       freeable_mem_gb=lambda t: 4.6 - 0.9 * ramp(t, t_leak, t_full),
                       extra=[("MaximumUsedTransactionIDs", "Count", lambda t: 1.8e8 + 900 * (t + 21600), 0)])
    for iid, nm in [("i-0b2d4f6a8c0e1a357", "ecs-warehouse-node-a"), ("i-07e9c1b3d5f7a9c24", "ecs-warehouse-node-b")]:
        metrics += ec2_set(rng, iid, cpu=lambda t: 24 * diurnal(t, 0.08, 6), mem=lambda t: 57, disk=lambda t: 44)
    resources = [
        {"type": "ecs", "id": "warehouse/inventory-api",
         "properties": {"launch_type": "EC2", "task_definition": "inventory-api:212", "desired_count": 4, "log_group": api_grp,
                        "load_balancer": "warehouse-alb", "db_pool_max_conns": 10}},
        {"type": "ecs", "id": "warehouse/stock-sync",
         "properties": {"launch_type": "EC2", "task_definition": "stock-sync:64", "desired_count": 1, "log_group": sync_grp}},
        {"type": "ecs", "id": "warehouse/label-printer",
         "properties": {"launch_type": "EC2", "task_definition": "label-printer:31", "desired_count": 2, "log_group": "/ecs/label-printer"}},
        {"type": "alb", "id": lb, "properties": {"name": "warehouse-alb", "target_groups": [tg], "targets": "ecs:warehouse/inventory-api"}},
        {"type": "rds", "id": "inventory-pg", "properties": {"engine": "postgres", "engine_version": "15.8", "instance_class": "db.m6g.large",
                                                             "max_connections": 200, "allocated_storage_gb": 250, "endpoint": host}},
        {"type": "ec2", "id": "i-0b2d4f6a8c0e1a357", "properties": {"name": "ecs-warehouse-node-a", "instance_type": "m6i.xlarge"}},
        {"type": "ec2", "id": "i-07e9c1b3d5f7a9c24", "properties": {"name": "ecs-warehouse-node-b", "instance_type": "m6i.xlarge"}},
    ]
    changes = [
        change(-3060, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "label-printer:31", "jenkins-deploy"),
        change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "warehouse/label-printer", "jenkins-deploy"),
        change(-15200, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "inventory-pg", "backup-automation"),
    ]
    alarms = [alarm("warehouse-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
                    "GreaterThanThreshold", -1380, description="Warehouse API returning 5xx")]
    doc = scenario("h21-03-inventory-pg-connection-slots",
                   "Warehouse scanners get 'reservation failed' on about half of the picks; ALB 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "warehouse-alb-5xx",
                    "root_cause": {"category": "db_connection_exhaustion", "resource": ["inventory-pg"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                   "dimensions": {"DBInstanceIdentifier": "inventory-pg"}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "label-printer deploy at -50 min (26 min before the first errors); manual RDS snapshot hours earlier; constant 'sku not in catalog cache' WARN",
            "story": "From -72 min the stock-sync worker left its supplier batches open and kept spawning readers, so "
                     "connections on inventory-pg climbed from ~60 to the 200-slot ceiling (197 usable). Once there, every new "
                     "connection inventory-api's pgx pool tried to open was refused with SQLSTATE 53300 'remaining "
                     "connection slots are reserved', shown both in the app logs and the PostgreSQL log, and half the "
                     "reservations returned 500 through the ALB. DB CPU and memory are fine. Connections at the limit with "
                     "'too many connections' errors is db_connection_exhaustion, origin the database."}
    return doc, meta


# ----------------------------------------------------------------------------- 04
def s04():
    rng = Rng(2104)
    region = "ap-northeast-1"
    lb, tg = "app/catalog-alb/1e3c5a7d9b2f4c60", "targetgroup/catalog-web-tg/7f9b1d3e5a7c9e02"
    a1, a2 = "i-0c4f7a2e9d1b3c586", "i-0d8e2a6c4f1b7e935"
    t_oom = -2460
    sink = LogSink()
    ts5 = times(step_s=300)
    hosts = {a1: "ip-10-40-1-23", a2: "ip-10-40-2-87"}

    def syslog(iid, t, proc, msg):
        sink.add("/var/log/messages", iid, t, f"{wall(t).strftime('%b %d %H:%M:%S')} {hosts[iid]} {proc}: {msg}")

    def guni(iid, t, level, msg):
        sink.add("/catalog/gunicorn", iid, t, f"[{wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1187] [{level}] {msg}")

    def mem2(t):
        base = 70 + 22 * ramp(t, -12000, t_oom)
        if t >= t_oom:
            phase = ((t - t_oom) % 170) / 170.0
            return 90 + 7.5 * phase
        return base

    def req_rate(t):
        return 200 * diurnal(t, 0.1, 9)

    uptime = 1843000.0
    kills = []
    t = t_oom + 20
    while t < 0:
        kills.append(t)
        t += rng.uniform(45, 110)
    pid = 28411
    for kt in kills:
        up = uptime + kt
        syslog(a2, kt, "kernel", f"[{up:.6f}] gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
        syslog(a2, kt + 0.01, "kernel", f"[{up + 0.01:.6f}] Mem-Info:")
        syslog(a2, kt + 0.02, "kernel", f"[{up + 0.02:.6f}] active_anon:1893240 inactive_anon:61002 isolated_anon:0 active_file:412 "
                                        f"inactive_file:305 free:21045 slab_reclaimable:9120 slab_unreclaimable:14588")
        rss = rng.randint(1650000, 1990000)
        syslog(a2, kt + 0.03, "kernel", f"[{up + 0.03:.6f}] Out of memory: Killed process {pid} (gunicorn) total-vm:{rss + 560000}kB, "
                                        f"anon-rss:{rss}kB, file-rss:{rng.randint(1800, 2600)}kB, shmem-rss:0kB, UID:995 pgtables:{rng.randint(3800, 4200)}kB oom_score_adj:0")
        syslog(a2, kt + 0.2, "kernel", f"[{up + 0.2:.6f}] oom_reaper: reaped process {pid} (gunicorn), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
        guni(a2, kt + 0.4, "WARNING", f"Worker with pid {pid} was terminated due to signal 9")
        pid += rng.randint(40, 130)
        guni(a2, kt + 0.9, "INFO", f"Booting worker with pid: {pid}")
    for iid in (a1, a2):
        for m in range(-7200, 0, 60):
            if m % 600 == 0:
                syslog(iid, m + 1.1, "systemd[1]", "Starting sysstat-collect.service - system activity accounting tool...")
                syslog(iid, m + 1.3, "systemd[1]", "sysstat-collect.service: Deactivated successfully.")
                syslog(iid, m + 1.4, "systemd[1]", "Finished sysstat-collect.service - system activity accounting tool.")
            if m % 1800 == 0:
                syslog(iid, m + 9, "chronyd[612]", f"Selected source 169.254.169.123 (AWS time sync), offset {rng.uniform(-0.00004, 0.00004):+.6f}s")
            for k in range(6):
                tt = m + k * 10 + rng.uniform(0, 1)
                if iid == a2 and any(0 <= tt - kt < 14 for kt in kills):
                    continue  # the worker handling it was killed: no access-log line, the ALB check times out
                sink.add("/catalog/access", iid, tt, f'10.40.{rng.choice([0, 1, 2])}.{rng.randint(10, 250)} - - [{wall(tt).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
                                                     f'"GET /healthz HTTP/1.1" 200 17 "-" "ELB-HealthChecker/2.0" 0.00{rng.randint(1, 9)}')
            if m >= -3900:
                for _ in range(rng.poisson(req_rate(m) / 2)):
                    tt = m + rng.uniform(0, 59.9)
                    if iid == a2 and any(0 <= kt - tt < 4 for kt in kills):
                        continue  # in flight on the killed worker -> ALB 502, never logged
                    p = rng.choice([f"/api/v1/products/{rng.randint(10000, 99999)}", f"/api/v1/categories/{rng.randint(1, 300)}/products?page={rng.randint(1, 9)}",
                                    f"/api/v1/search?q={rng.choice(['bag', 'lamp', 'mug', 'desk', 'sofa'])}", "/api/v1/banners"])
                    rt_ = rng.uniform(0.03, 0.2) * (1.6 if iid == a2 and m >= t_oom else 1.0)
                    sink.add("/catalog/access", iid, tt, f'10.40.{rng.choice([0, 1, 2])}.{rng.randint(10, 250)} - - [{wall(tt).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
                                                         f'"GET {p} HTTP/1.1" 200 {rng.randint(900, 24000)} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)" {rt_:.3f}')
            if rng.random() < 0.3:  # pre-existing: slow upstream image CDN warning, both hosts, constant
                guni(iid, m + rng.uniform(0, 59), "WARNING", f"image probe timeout for sku {rng.randint(10000, 99999)} (cdn-origin 3.0s)")
    syslog(a1, -7198, "CROND[41022]", "(catalog) CMD (/opt/catalog/bin/image-sync --full)")

    def e502(t):
        return sum(rng.uniform(3, 7) for kt in kills if 0 <= kt - t < 60) + (1.5 if t >= t_oom else 0.05)

    metrics = alb_set(rng, lb, req=req_rate, rt=lambda t: 0.11 + (0.09 if t >= t_oom else 0),
                      t5xx=lambda t: 0.3 + (2 if t >= t_oom else 0), t4xx=lambda t: 7, e502=e502,
                      tgs=[(tg, lambda t: 1 if any(0 <= kt - t < 60 for kt in kills) else 2,
                            lambda t: 1 if any(0 <= kt - t < 60 for kt in kills) else 0)])
    metrics += ec2_set(rng, a1, ts=ts5, cw_ts=times(), cpu=lambda t: 31 * diurnal(t, 0.1, 9) + (45 if -7200 <= t < -6000 else 0),
                       mem=lambda t: 61 + 6 * ramp(t, -21600, 0), disk=lambda t: 58, net_in=lambda t: 3.1e7)
    metrics += ec2_set(rng, a2, ts=ts5, cw_ts=times(), cpu=lambda t: 33 * diurnal(t, 0.1, 9) + (9 if t >= t_oom else 0),
                       mem=mem2, disk=lambda t: 62, net_in=lambda t: 3.0e7)
    resources = [
        {"type": "ec2", "id": a1, "properties": {"name": "catalog-app-1", "instance_type": "m6i.large", "memory_gib": 8,
                                                 "log_groups": ["/var/log/messages", "/catalog/gunicorn", "/catalog/access"]}},
        {"type": "ec2", "id": a2, "properties": {"name": "catalog-app-2", "instance_type": "m6i.large", "memory_gib": 8,
                                                 "log_groups": ["/var/log/messages", "/catalog/gunicorn", "/catalog/access"]}},
        {"type": "alb", "id": lb, "properties": {"name": "catalog-alb", "target_groups": [tg], "targets": [a1, a2]}},
    ]
    changes = [change(-3600, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/search/synonyms-version", "ops-bot"),
               change(-16400, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", a1, "k.tanaka")]
    alarms = [alarm("catalog-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 10,
                    "GreaterThanThreshold", -2280, description="Catalog ALB generated 5xx")]
    doc = scenario("h21-04-catalog-ec2-oom-killer",
                   "Intermittent 502 Bad Gateway on product pages; ALB 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "catalog-alb-elb-5xx",
                    "root_cause": {"category": "memory_exhaustion", "resource": [a2, "catalog-app-2"]},
                    "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": a2}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "image-sync cron CPU spike on catalog-app-1 two hours earlier; SSM PutParameter for search; CreateTags on app-1; "
                      "constant image-probe WARNINGs on both hosts",
            "story": "CWAgent mem_used_percent on catalog-app-2 crept from 70 % to above 90 % and since -41 min saw-tooths "
                     "between 90 and 97 %: the kernel OOM killer kills a gunicorn worker every one to two minutes "
                     "(/var/log/messages), gunicorn reports 'terminated due to signal 9', in-flight requests become ALB 502s "
                     "and health checks briefly fail. catalog-app-1 is healthy; its CPU spike two hours ago was the image-sync "
                     "cron. OOM kills with memory at the limit is memory_exhaustion on catalog-app-2."}
    return doc, meta
