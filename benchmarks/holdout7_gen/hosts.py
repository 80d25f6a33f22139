"""EC2/ALB and RDS incidents: host OOM, latency blip (unknown), disk full, RDS storage, RDS CPU."""
from __future__ import annotations

import numpy as np

from .common import T, Scn, blip, counts, daily, flat, noisy, ramp, step
from .services import GB, alb_metrics, app_streams, ec2_metrics, lambda_metrics, per_minute, rds_metrics, sim_lambda


def syslog(sc, t, host, proc, msg):
    return f"{sc.stamp(t, '%b %d %H:%M:%S')} {host} {proc}: {msg}"


# ------------------------------------------------------------------------------
def s04_search_node_oom():
    sc = Scn("h7-04-search-node-oom", "us-west-2",
             "search-alb HealthyHostCount below 2; search results intermittently empty.", 7104)
    lb, tg = "app/search-alb/2f4e6a8c0b1d3e5f", "targetgroup/search-nodes/6a5b4c3d2e1f0a9b"
    n1, n2 = "i-0c4e7a1b9d3f56082", "i-09f3b2c8e1a7d4605"
    kills = [-1230, -650, -140]
    sc.resource("alb", lb, name="search-alb", targets=[n1, n2])
    sc.resource("ec2", n1, name="search-node-1", instance_type="r6i.xlarge",
                log_groups=["/search/app", "/search/syslog"])
    sc.resource("ec2", n2, name="search-node-2", instance_type="r6i.xlarge",
                log_groups=["/search/app", "/search/syslog"])
    mem2 = noisy(sc, flat(61), 0.015) + ramp(-3900, -1300) * 37
    for k in kills:
        mem2 = np.where(T >= k, np.minimum(34 + (T - k) / 60 * 14, 99.2), mem2)
    mem2 = np.minimum(noisy(sc, mem2, 0.01), 99.6)
    cpu2 = noisy(sc, daily(31), 0.12, 1, 100) + ramp(-1900, -1350) * 40 * (mem2 > 90)
    healthy = flat(2) - (T >= -1330)
    req = counts(sc, daily(520, 0.15))
    t5 = counts(sc, req * 0.0003 + (T >= -1330) * (T < -1250) * req * 0.2)
    trt = noisy(sc, flat(0.09), 0.1, 0.02) + ramp(-2000, -1350) * 0.6 * (T < -1330)
    alb_metrics(sc, lb, tg, req=req, trt=trt, t5xx=t5, healthy=healthy, unhealthy=flat(2) - healthy)
    ec2_metrics(sc, n1, cpu=noisy(sc, daily(30), 0.12, 1, 100), mem=noisy(sc, flat(63), 0.015),
                net_in=noisy(sc, daily(4e6) + blip(-9100, -8500) * 6e7, 0.1, 0))
    ec2_metrics(sc, n2, cpu=np.minimum(cpu2, 100), mem=mem2)
    app = []
    for iid, host in ((n1, "ip-10-20-1-17"), (n2, "ip-10-20-2-44")):
        app += [(t, f"{sc.iso(t)} WARN  [search-{t % 7:.0f}] o.s.query.SlowLog - took[{sc.rng.integers(1100, 2600)}ms]"
                    f" index[products-v7] query[match_phrase(title)]", iid)
                for t in np.sort(sc.rng.uniform(-10800, -60, 90))]
    for t in np.arange(-3000, -1300, 60):
        if mem2[int((t + 21600) // 60)] > 85:
            app.append((t + 7, f"{sc.iso(t + 7)} WARN  [gc] o.s.monitor.JvmGcMonitor - [gc][old][{sc.rng.integers(4000, 9000)}]"
                               f" duration [{sc.rng.uniform(4.1, 9.8):.1f}s], collections [1]/[{sc.rng.uniform(5, 11):.1f}s], "
                               f"memory [{sc.rng.uniform(27.1, 29.8):.1f}gb]->[{sc.rng.uniform(26.5, 29.5):.1f}gb]/[30gb]", n2))
    sysl = []
    for t in np.arange(-21540, 0, 600):
        for iid, host in ((n1, "ip-10-20-1-17"), (n2, "ip-10-20-2-44")):
            sysl.append((t + 1, syslog(sc, t, host, "systemd[1]", "Started Session of user ec2-user."), iid))
    for k in kills:
        pid = sc.rng.integers(2000, 9000)
        for off, proc, msg in (
                (0, "kernel", f"[{sc.rng.uniform(1e6, 2e6):.6f}] java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE"
                              f"|__GFP_COMP), order=0, oom_score_adj=0"),
                (0.2, "kernel", f"Out of memory: Killed process {pid} (java) total-vm:38412236kB, anon-rss:31455932kB, "
                                f"file-rss:0kB, shmem-rss:0kB, UID:996 pgtables:62812kB oom_score_adj:0"),
                (0.5, "systemd[1]", "search.service: Main process exited, code=killed, status=9/KILL"),
                (0.6, "systemd[1]", "search.service: Failed with result 'signal'."),
                (5.6, "systemd[1]", f"search.service: Scheduled restart job, restart counter is at {kills.index(k) + 1}.")):
            sysl.append((k + off, syslog(sc, k + off, "ip-10-20-2-44", proc, msg), n2))
    for group, lines in (("/search/app", app), ("/search/syslog", sysl)):
        for iid in (n1, n2):
            ev = [(t, m) for t, m, i in lines if i == iid]
            sc.log(group, iid, ev)
    sc.change(-16200, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/search/prod/synonyms-version",
              "search-relevance-bot")
    name = "search-alb HealthyHostCount < 2"
    sc.alarm(name, "AWS/ApplicationELB", "HealthyHostCount", {"TargetGroup": tg, "LoadBalancer": lb}, "Minimum", 60,
             3, 2.0, "LessThanThreshold", healthy)
    sc.expect(name, "memory_exhaustion", [n2, "search-node-2"],
              [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": n2}}],
              decoys="slow-query warnings on both nodes all day; NetworkIn burst on search-node-1 (snapshot) 2.5 h "
                     "earlier; SSM synonyms parameter update 4.5 h earlier",
              story="search-node-2's JVM heap plus off-heap caches grew until the kernel OOM killer killed java. "
                    "systemd restarts it, it refills its caches and is killed again; the node keeps failing "
                    "health checks, so the target group has one healthy host.")
    return sc


# ------------------------------------------------------------------------------
def s06_partner_latency_blip():
    sc = Scn("h7-06-partner-latency-blip", "eu-central-1",
             "Partner API p99 latency alarm (partner-api-blue).", 7106)
    lb, tg = "app/partner-api/0d1c2b3a49586776", "targetgroup/partner-api-blue/5f6e7d8c9b0a1f2e"
    a, b = "i-0aa1bb2cc3dd4ee5f", "i-0ff6ee5dd4cc3bb2a"
    sc.resource("alb", lb, name="partner-api", targets=[a, b])
    sc.resource("ec2", a, name="partner-api-1", instance_type="m7g.large", log_groups=["/partner-api/access"])
    sc.resource("ec2", b, name="partner-api-2", instance_type="m7g.large", log_groups=["/partner-api/access"])
    req = counts(sc, daily(140, 0.1))
    trt = noisy(sc, flat(0.21), 0.12, 0.05) + blip(-240, 0) * sc.rng.uniform(0.7, 0.95, len(T))
    alb_metrics(sc, lb, tg, req=req, trt=trt)
    ec2_metrics(sc, a, cpu=noisy(sc, daily(22), 0.12, 1, 100))
    ec2_metrics(sc, b, cpu=noisy(sc, daily(22) + blip(-7800, -7200) * 48, 0.12, 1, 100))

    def acc(t):
        slow = t > -240 and sc.rng.random() < 0.03
        path = sc.rng.choice(["/v1/orders", "/v1/orders/status", "/v1/catalog", "/v1/reports/export" if slow else "/v1/ping"])
        rt = sc.rng.uniform(1.1, 2.4) if slow else sc.rng.gamma(4, 0.045)
        return [(t, f'10.30.{sc.rng.integers(1, 9)}.{sc.rng.integers(2, 250)} - partner_{sc.rng.integers(10, 99)} '
                    f'[{sc.stamp(t, "%d/%b/%Y:%H:%M:%S")} +0000] "GET {path} HTTP/1.1" 200 {sc.rng.integers(200, 9000)} '
                    f'"-" "partner-sdk/3.2" rt={rt:.3f}', int(sc.rng.integers(2)))]
    app_streams(sc, "/partner-api/access", [a, b], per_minute(sc, counts(sc, flat(10)), acc))
    sc.change(-14500, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/partner-api/prod/rate-card",
              "pricing-admin")
    name = "Partner API p99 latency (partner-api-blue)"
    sc.alarm(name, "AWS/ApplicationELB", "TargetResponseTime", {"TargetGroup": tg, "LoadBalancer": lb}, "p99", 60,
             3, 0.8, "GreaterThanThreshold", trt, datapoints_to_alarm=2)
    sc.expect(name, "unknown", [lb, "partner-api", tg],
              [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                "dimensions": {"TargetGroup": tg, "LoadBalancer": lb}}],
              decoys="CPU burst on partner-api-2 2 h earlier; SSM rate-card update 4 h earlier",
              story="p99 target response time went from ~0.2 s to ~1 s for the last four minutes. Request volume, "
                    "errors, CPU and memory on both instances are unchanged, there is no recent change, and the "
                    "access log shows only a handful of slower report exports. Nothing explains it; it is most "
                    "likely a transient blip.")
    return sc


# ------------------------------------------------------------------------------
def s10_ledger_pg_storage():
    sc = Scn("h7-10-ledger-pg-storage", "ca-central-1",
             "ledger-pg FreeStorageSpace low; ledger ingestion starting to fail.", 7110)
    db, fn = "ledger-pg", "ledger-ingest"
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.xlarge",
                max_connections=1700, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512)
    free = np.maximum(noisy(sc, 17.5 * GB - (T + 21600) / 21600 * 17.3 * GB, 0.002), 0.12 * GB)
    full = -420
    inv = counts(sc, daily(30, 0.15))

    def h(sc, t, rid):
        if t >= full and sc.rng.random() < 0.7:
            return "error", float(sc.rng.uniform(20, 80)), 110, [(0.01, (
                "[ERROR] DiskFull: could not extend file \"base/16401/98213.14\": No space left on device\nHINT:  Check "
                "free disk space.\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 38, in handler\n"
                "    cur.execute(INSERT_SQL, rows)\npsycopg2.errors.DiskFull: could not extend file "
                "\"base/16401/98213.14\": No space left on device"))]
        lines = [(0.01, f"[INFO]\t{sc.iso(t)}\t{rid}\tinserted {sc.rng.integers(50, 400)} journal lines")]
        if sc.rng.random() < 0.03:
            lines.append((0.02, f"[ERROR]\t{sc.iso(t)}\t{rid}\tskipping malformed record from partner feed "
                                f"(missing account_ref)"))
        return "ok", float(sc.rng.gamma(6, 25)), 112, lines
    err, dur, conc = sim_lambda(sc, fn, inv, h)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    rds_metrics(sc, db, free_storage=free, storage_gb=200, mem_gb=16,
                write_iops=noisy(sc, daily(610), 0.1, 0), conns=np.round(noisy(sc, flat(38), 0.06)))
    pg = []
    for t in range(-21550, 0, 300):
        pg.append((t, f"{sc.stamp(t)} UTC::@:[597]:LOG:  checkpoint complete: wrote {sc.rng.integers(9000, 30000)} "
                      f"buffers ({sc.rng.uniform(3, 9):.1f}%); 0 WAL file(s) added, 0 removed, 32 recycled"))
    for t in range(-21500, 0, 900):
        pg.append((t, f"{sc.stamp(t)} UTC:10.4.2.31(40112):dms_user@ledger:[{sc.rng.integers(3000, 9000)}]:LOG:  "
                      f"could not receive data from client: Connection reset by peer"))
    for t in np.sort(sc.rng.uniform(full, -30, 40)):
        pg.append((t, f"{sc.stamp(t)} UTC:10.4.7.{sc.rng.integers(2, 250)}({sc.rng.integers(30000, 60000)}):ingest@ledger:"
                      f"[{sc.rng.integers(3000, 30000)}]:ERROR:  could not extend file \"base/16401/98213.14\": No space "
                      f"left on device"))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)
    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-ci")
    name = "ledger-pg FreeStorageSpace < 2 GiB"
    sc.alarm(name, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum", 300, 1, 2147483648.0,
             "LessThanThreshold", free)
    sc.expect(name, "storage_exhaustion", [db],
              [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}],
              decoys="ledger-ingest code update 65 min earlier; constant 'malformed record' errors; DMS connection "
                     "resets every 15 min",
              story="An abandoned logical replication slot from a stopped DMS task has been retaining WAL all day; "
                    "free storage fell steadily from 17 GB and is now nearly gone. Inserts from ledger-ingest start "
                    "failing with 'No space left on device'.")
    return sc


SCENARIOS = [s04_search_node_oom, s06_partner_latency_blip, s10_ledger_pg_storage]
