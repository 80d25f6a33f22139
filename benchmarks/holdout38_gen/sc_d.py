"""Scenarios 13-16."""
from __future__ import annotations

import json

from .common import (LOG_START, Scn, anomaly, hexid, iso, poisson, py_line, ramp, rid, simulate_lambda,
                     stamp)
from .services import alb, const, ec2, ecs, rds, traffic

GB = 1024 ** 3


def _gojson(t: float, level: str, msg: str, **kw) -> str:
    return json.dumps({"level": level, "ts": stamp(t, "%Y-%m-%dT%H:%M:%S") + f".{int((t % 1) * 1000):03d}Z", "msg": msg, **kw})


# ------------------------------------------------------------------------------------------
def s13() -> Scn:
    s = Scn("h38-13-ledger-api-tasks-crashloop-release", "ap-southeast-1",
            "ledger-api running task count below desired; ECS service alarm.")
    rng = s.rng
    svc, lb = "ledger/ledger-api", "app/ledger-int-alb/5a8c0e3f7b19d246"
    deploy = -1740
    s.resource("ecs", svc, cluster="ledger", service="ledger-api", launch_type="FARGATE", task_definition="ledger-api:77",
               desired_count=6, minimum_healthy_percent=50, deployment_circuit_breaker=False,
               log_groups=["/ecs/ledger/ledger-api"])
    s.resource("alb", lb, name="ledger-int-alb", scheme="internal", target_groups=["ledger-api-tg"])
    s.resource("rds", "ledger-pg", engine="postgres", instance_class="db.r6g.large", max_connections=800, allocated_storage_gb=400)
    s.resource("lambda", "kyc-webhook", runtime="nodejs20.x", timeout=15, memory_size=256)
    run = lambda t: 6 if t < deploy + 60 else (3 + (1 if int(t / 120) % 3 == 0 else 0) - (1 if int(t / 180) % 4 == 1 else 0))   # noqa: E731
    ecs(s, "ledger", "ledger-api", lambda t: 29 if t < deploy else 44, const(38), running=run, desired=const(6))
    alb(s, lb, traffic(900, 0.1), lambda t: 0.035 if t < deploy + 60 else 0.05, lambda t: 0.1 + (2.5 if t > deploy + 60 else 0),
        lambda t: 0 if t < deploy + 60 else 1.5, lambda t: min(6, run(t)), lambda t: 0 if t < deploy + 60 else (1 if int(t / 90) % 2 else 0))
    rds(s, "ledger-pg", traffic(22), lambda t: 120 - (0 if t < deploy else 40) + rng.randint(-5, 5), const(300 * GB),
        const(0.0007), const(9 * GB))
    simulate_lambda(s, "kyc-webhook", traffic(3), lambda r, t: {"dur": r.uniform(80, 200), "mem": 70, "lines": [
        (0.01, "{ts}\t{rid}\tINFO\tkyc status update applicant=" + hexid(r, 12) + " status=" + r.choice(["approved", "pending", "review"]))]},
        256, 15, streams=1)
    old = [f"ledger-api/api/{hexid(rng)}" for _ in range(6)]
    streams: dict = {k: [] for k in old}
    for m in range(LOG_START, 0, 60):
        live = old if m < deploy else old[3:]
        for _ in range(poisson(rng, 10)):
            t = m + rng.uniform(0, 60)
            streams[rng.choice(live)].append((t, _gojson(t, "info", "request", method=rng.choice(["GET", "POST"]),
                path=rng.choice(["/v1/accounts/{id}/balance", "/v1/transfers", "/v1/accounts/{id}/entries"]), status=200, dur_ms=rng.randint(6, 60))))
        if rng.random() < 0.45:   # long-standing noise
            t = m + rng.uniform(0, 60)
            streams[rng.choice(live)].append((t, _gojson(t, "warn", "slow query", table="ledger_entries", dur_ms=rng.randint(1100, 1900), caller="store/entries.go:211")))
    old_half = old[:3]
    for k in old_half:
        streams[k].append((deploy + 50, _gojson(deploy + 50, "info", "received SIGTERM, draining connections", caller="cmd/api/main.go:97")))
    t = deploy + 40
    n = 0
    while t < -5:
        k = f"ledger-api/api/{hexid(rng)}"
        ev = [(t, _gojson(t, "info", "starting ledger-api", version="3.8.0", commit="9f2c1ab", go="go1.22.1")),
              (t + 0.4, _gojson(t + 0.4, "info", "connected to postgres", host="ledger-pg.cluster-ro", pool_max=40)),
              (t + 0.9, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                        f"[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x{rng.randint(0x9a0000, 0x9affff):x}]\n\n"
                        "goroutine 1 [running]:\ngithub.com/acme/ledger-api/internal/limits.(*Registry).Load(0x0, {0xc0001a4000, 0x1d})\n"
                        "\t/src/internal/limits/registry.go:64 +0x2e\ngithub.com/acme/ledger-api/internal/server.New(0xc000132000)\n"
                        "\t/src/internal/server/server.go:88 +0x41a\nmain.main()\n\t/src/cmd/api/main.go:52 +0x3c5")]
        streams[k] = ev
        n += 1
        t += rng.uniform(40, 75)
    for k, ev in streams.items():
        s.log("/ecs/ledger/ledger-api", k, ev)
    s.change(-2210, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "kyc-webhook", "ci-compliance")
    s.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-api:77", "ci-ledger")
    s.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "ci-ledger")
    d = {"ClusterName": "ledger", "ServiceName": "ledger-api"}
    s.alarm("ledger-api-running-tasks-low", "ECS/ContainerInsights", "RunningTaskCount", d, "Minimum", 60, 3, 5,
            "LessThanThreshold", "ALARM", deploy + 300, "ledger-api below desired capacity")
    s.alarm("ledger-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-pg"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", "OK", -16000)
    s.expect("ledger-api-running-tasks-low", "bad_deployment", [svc, "ledger-api"],
             [anomaly("ECS/ContainerInsights", "RunningTaskCount", d)])
    return s


# ------------------------------------------------------------------------------------------
def s14() -> Scn:
    s = Scn("h38-14-events-db-storage-full", "us-west-1",
            "events-db free storage alarm; event ingestion starting to fail.")
    rng = s.rng
    db, fn = "events-db", "event-writer"
    full = -660
    s.resource("rds", db, engine="postgres", engine_version="14.11", instance_class="db.m6i.xlarge", max_connections=1600,
               allocated_storage_gb=250, storage_autoscaling=False)
    s.resource("rds", "events-db-staging", engine="postgres", instance_class="db.t4g.medium", allocated_storage_gb=100)
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512)
    free = lambda t: max(0.25 * GB, ramp(t, -21600, full, 41 * GB, 0.25 * GB))   # noqa: E731
    rds(s, db, traffic(34), lambda t: 58 + rng.randint(-4, 4), free, const(0.0013), const(6.2 * GB),
        write_lat=lambda t: 0.0021 if t < full else 0.0009, iops=lambda t: 2100 if t < full else 300)
    rds(s, "events-db-staging", lambda t: 6 + (55 if -3200 < t < -2900 else 0), const(7), const(71 * GB), const(0.0009),
        const(1.6 * GB))

    def write(r, t):
        batch = r.randint(200, 500)
        lines = [py_line("INFO", f"consumed {batch} events from kinesis shard shardId-0000000000{r.randint(0, 7):02d}", 0.01)]
        if t > full:
            lines.append(py_line("ERROR", f"batch insert failed ({batch} events)\nTraceback (most recent call last):\n"
                                 '  File "/var/task/writer.py", line 61, in handler\n    execute_values(cur, INSERT_SQL, rows, page_size=500)\n'
                                 'psycopg2.errors.DiskFull: could not extend file "base/16401/2448811.37": No space left on device\n'
                                 "HINT:  Check free disk space.", 0.2))
            return {"dur": r.uniform(180, 400), "mem": 140, "lines": lines, "err": True}
        lines.append(py_line("INFO", f"inserted {batch} rows into events_2026_03 in {r.randint(90, 300)} ms", 0.3))
        return {"dur": r.uniform(200, 420), "mem": 140, "lines": lines}
    simulate_lambda(s, fn, traffic(20, 0.1), write, 512, 30)
    pg = []
    for m in range(-21600, 0, 60):
        if m % 300 == 0 and m < full:
            pg.append((m + 1, f"{stamp(m + 1)} UTC::@:[733]:LOG:  checkpoint complete: wrote {rng.randint(20000, 40000)} buffers (12.{rng.randint(0, 9)}%); 0 WAL file(s) added, 0 removed, 41 recycled; write=268.1 s, sync=0.8 s, total=269.3 s"))
        if rng.random() < 0.25:   # long-standing noise
            t = m + rng.uniform(0, 60)
            pg.append((t, f"{stamp(t)} UTC:10.12.{rng.randint(0, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 65000)}):reporting@events:[{rng.randint(1000, 40000)}]:LOG:  could not receive data from client: Connection reset by peer"))
        if m % 900 == 0 and m > -7200 and m < full:
            pg.append((m + 20, f"{stamp(m + 20)} UTC::@:[733]:LOG:  checkpoints are occurring too frequently (21 seconds apart)\n"
                               f"{stamp(m + 20)} UTC::@:[733]:HINT:  Consider increasing the configuration parameter \"max_wal_size\"."))
        if m > full:
            for _ in range(poisson(rng, 14)):
                t = m + rng.uniform(0, 60)
                pg.append((t, f"{stamp(t)} UTC:10.12.3.{rng.randint(2, 250)}({rng.randint(30000, 65000)}):writer@events:[{rng.randint(1000, 40000)}]:ERROR:  could not extend file \"base/16401/2448811.37\": No space left on device"))
    pg.append((full + 30, f"{stamp(full + 30)} UTC::@:[733]:PANIC:  could not write to file \"pg_wal/xlogtemp.733\": No space left on device"))
    pg.append((full + 34, f"{stamp(full + 34)} UTC::@:[512]:LOG:  checkpointer process (PID 733) was terminated by signal 6: Aborted"))
    s.log("/aws/rds/instance/events-db/postgresql", "events-db.0", pg)
    s.change(-14500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-events")
    s.change(-3300, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "events-db-staging", "dba-priya")
    d = {"DBInstanceIdentifier": db}
    s.alarm("events-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", d, "Minimum", 300, 1, 5 * GB,
            "LessThanThreshold", "ALARM", -2700, "events-db free storage below 5 GiB")
    s.alarm("event-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
            "ALARM", full + 200)
    s.expect("events-db-free-storage-low", "storage_exhaustion", [db], [anomaly("AWS/RDS", "FreeStorageSpace", d)])
    return s


# ------------------------------------------------------------------------------------------
def s15() -> Scn:
    s = Scn("h38-15-partner-alb-502-node-oom-killer", "ap-northeast-2",
            "Partner API intermittently returning 502; partner-alb ELB 5XX alarm.")
    rng = s.rng
    lb = "app/partner-alb/e3b07d14c95a2f81"
    nodes = [("i-0d2f6c81a94e07b35", "api-node-1"), ("i-08b1e4a7c3d95f026", "api-node-2"), ("i-0a7d35e9b12c84f60", "api-node-3")]
    bad_id, bad_name = nodes[2]
    kills = [-2280, -1830, -1390, -960, -540, -150]
    s.resource("alb", lb, name="partner-alb", target_groups=["partner-api-tg"])
    for iid, nm in nodes:
        s.resource("ec2", iid, name=nm, instance_type="m6i.large", memory_gb=8, jvm_xmx="6g", log_groups=["/ec2/syslog", "/app/partner-api"])
    s.resource("lambda", "partner-report-mailer", runtime="python3.12", timeout=60, memory_size=256)

    def mem3(t: float) -> float:
        if t < -6000:
            return 61.0
        if t < kills[0]:
            return ramp(t, -6000, kills[0], 61, 98.5)
        since = min((t - k) % 1e9 for k in kills if t >= k)
        return 70 + min(28.5, since / 400 * 28.5)
    ec2(s, nodes[0][0], lambda t: 31 + (52 if -4200 < t < -3900 else 0), const(1.9e8), const(0), const(60), const(47))
    ec2(s, nodes[1][0], traffic(30), const(1.9e8), const(0), const(62), const(46))
    ec2(s, bad_id, lambda t: 33 + (25 if t > -3000 else 0), const(1.9e8), const(0), mem3, const(48))
    down = lambda t: any(k <= t < k + 60 for k in kills)   # noqa: E731
    alb(s, lb, traffic(2600, 0.1), lambda t: 0.11 + (0.2 if t > -3000 else 0), const(1.5),
        lambda t: 0.2 + (65 if down(t) else (9 if t > kills[0] else 0)), lambda t: 2 if down(t) else 3,
        lambda t: 1 if down(t) else 0, t4xx=lambda t: 48.0)
    sys3, app3 = [], []
    for m in range(LOG_START, 0, 60):
        for _ in range(poisson(rng, 4)):
            t = m + rng.uniform(0, 60)
            app3.append((t, f"{stamp(t)}.{rng.randint(100, 999)} INFO  [http-nio-8443-exec-{rng.randint(1, 80)}] c.p.api.OrderSyncController - partner=P{rng.randint(100, 999)} synced {rng.randint(1, 40)} orders in {rng.randint(40, 200)}ms"))
        if m > -6000 and m % 300 == 0 and m < kills[0]:
            app3.append((m + 7, f"{stamp(m + 7)}.{rng.randint(100, 999)} WARN  [G1 Conc#0] c.p.api.HeapMonitor - old gen {int(ramp(m, -6000, kills[0], 2100, 6050))}MB/6144MB after mixed GC; export cache entries={int(ramp(m, -6000, kills[0], 900, 41000))}"))
        if m % 600 == 0:
            sys3.append((m + 3, f"{stamp(m + 3, '%b %d %H:%M:%S')} {bad_name} systemd[1]: Started sysstat-collect.service - system activity accounting tool."))
    for k in kills:
        pid = rng.randint(2000, 40000)
        sys3 += [(k - 1, f"{stamp(k - 1, '%b %d %H:%M:%S')} {bad_name} kernel: java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0"),
                 (k, f"{stamp(k, '%b %d %H:%M:%S')} {bad_name} kernel: Out of memory: Killed process {pid} (java) total-vm:9914228kB, anon-rss:7712044kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:15820kB oom_score_adj:0"),
                 (k + 1, f"{stamp(k + 1, '%b %d %H:%M:%S')} {bad_name} systemd[1]: partner-api.service: Main process exited, code=killed, status=9/KILL"),
                 (k + 1.1, f"{stamp(k + 1, '%b %d %H:%M:%S')} {bad_name} systemd[1]: partner-api.service: Failed with result 'oom-kill'."),
                 (k + 11, f"{stamp(k + 11, '%b %d %H:%M:%S')} {bad_name} systemd[1]: partner-api.service: Scheduled restart job, restart counter is at {kills.index(k) + 1}.")]
        app3.append((k + 30, f"{stamp(k + 30)}.{rng.randint(100, 999)} INFO  [main] c.p.api.PartnerApiApplication - Started PartnerApiApplication in 18.7 seconds"))
    s.log("/ec2/syslog", bad_id, sys3)
    s.log("/app/partner-api", bad_id, app3)
    other = []
    for m in range(LOG_START, 0, 60):
        for _ in range(poisson(rng, 6)):
            t = m + rng.uniform(0, 60)
            other.append((t, f"{stamp(t)}.{rng.randint(100, 999)} INFO  [http-nio-8443-exec-{rng.randint(1, 80)}] c.p.api.OrderSyncController - partner=P{rng.randint(100, 999)} synced {rng.randint(1, 40)} orders in {rng.randint(40, 200)}ms"))
    s.log("/app/partner-api", nodes[0][0], other)
    simulate_lambda(s, "partner-report-mailer", lambda t: 0.5, lambda r, t: {"dur": r.uniform(1500, 3000), "mem": 90, "lines": [
        py_line("INFO", f"weekly report sent to partner P{r.randint(100, 999)}")]}, 256, 60, streams=1)
    s.change(-2640, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "partner-report-mailer", "ci-partner")
    s.change(-4300, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", nodes[0][0], "logrotate-automation")
    d = {"LoadBalancer": lb}
    s.alarm("partner-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Sum", 60, 2, 5, "GreaterThanThreshold",
            "ALARM", kills[0] + 120, "partner-alb 5xx generated by the load balancer")
    s.expect("partner-alb-elb-5xx", "memory_exhaustion", [bad_id, bad_name],
             [anomaly("CWAgent", "mem_used_percent", {"InstanceId": bad_id}), anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d)])
    return s


# ------------------------------------------------------------------------------------------
def s16() -> Scn:
    s = Scn("h38-16-orders-5xx-mysql-io-stall", "eu-west-3",
            "Orders web app returning 500s; orders-alb target 5XX alarm.")
    rng = s.rng
    lb, db = "app/orders-alb/2c9f5e1a7d0b4836", "orders-mysql"
    webs = [("i-0f41a8c2e7d9b3051", "orders-web-1"), ("i-06c3e9b1a5f27d840", "orders-web-2")]
    onset = -1980
    stall = lambda t: t > onset   # noqa: E731
    s.resource("alb", lb, name="orders-alb", target_groups=["orders-web-tg"])
    s.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.m6g.xlarge", max_connections=600,
               allocated_storage_gb=800, storage_type="gp3")
    for iid, nm in webs:
        s.resource("ec2", iid, name=nm, instance_type="c6i.large", log_groups=["/app/orders-web"])
    s.resource("lambda", "orders-export", runtime="python3.12", timeout=300, memory_size=1024)
    rds(s, db, lambda t: 12 if stall(t) else 24, lambda t: (88 if stall(t) else 41) + rng.randint(-4, 4), const(512 * GB),
        lambda t: 0.9 if stall(t) else 0.0011, const(11 * GB), write_lat=lambda t: 1.7 if stall(t) else 0.0018,
        iops=lambda t: 140 if stall(t) else 1900)
    s.metric("AWS/RDS", "DiskQueueDepth", {"DBInstanceIdentifier": db}, "Count", lambda t: (64 if stall(t) else 1.2) * (1 + s.noise(0.15)))
    for iid, nm in webs:
        ec2(s, iid, lambda t: 20 if stall(t) else 36, const(9e7), const(0), const(57), const(44))
    alb(s, lb, traffic(1100), lambda t: 5.1 if stall(t) else 0.16, lambda t: 0.3 + (72 if stall(t) else 0), const(0.1),
        const(2), const(0), t4xx=const(9.0))
    ev = {iid: [] for iid, _ in webs}
    for m in range(LOG_START, 0, 60):
        for iid, nm in webs:
            for _ in range(poisson(rng, 5)):
                t = m + rng.uniform(0, 60)
                r = hexid(rng, 8) + "-" + hexid(rng, 4)
                if stall(m) and rng.random() < 0.55:
                    ev[iid] += [(t, f"I, [{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}]  INFO -- : [{r}] Started POST \"/orders\" for 10.8.{rng.randint(0, 9)}.{rng.randint(2, 250)}"),
                                (t + 5.01, f"E, [{stamp(t + 5, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}] ERROR -- : [{r}] Mysql2::Error::TimeoutError: Timeout waiting for a response from the last query. (waited 5 seconds)\n"
                                           "  app/models/order.rb:88:in `reserve_stock!'\n  app/controllers/orders_controller.rb:31:in `create'"),
                                (t + 5.02, f"I, [{stamp(t + 5, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}]  INFO -- : [{r}] Completed 500 Internal Server Error in {rng.randint(5004, 5030)}ms (ActiveRecord: {rng.randint(5000, 5020)}.0ms)")]
                else:
                    ms = rng.randint(40, 180)
                    ev[iid] += [(t, f"I, [{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}]  INFO -- : [{r}] Started GET \"/orders/{rng.randint(10 ** 6, 10 ** 7)}\" for 10.8.{rng.randint(0, 9)}.{rng.randint(2, 250)}"),
                                (t + ms / 1000, f"I, [{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}]  INFO -- : [{r}] Completed 200 OK in {ms}ms (Views: {ms // 3}.1ms | ActiveRecord: {ms // 2}.4ms)")]
            if rng.random() < 0.3:   # long-standing noise
                t = m + rng.uniform(0, 60)
                ev[iid].append((t, f"W, [{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)} #{rng.randint(1000, 9999)}]  WARN -- : DEPRECATION WARNING: `to_s(:db)` is deprecated. Use `to_fs(:db)` instead. (called from block in <class:Order> at app/models/order.rb:12)"))
    for iid, _ in webs:
        s.log("/app/orders-web", iid, ev[iid])
    my = []
    for m in range(-21600, 0, 60):
        if stall(m) and rng.random() < 0.7:
            t = m + rng.uniform(0, 60)
            my.append((t, f"{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)}Z 0 [Note] [MY-011953] [InnoDB] Page cleaner took {rng.randint(6000, 14000)}ms to flush {rng.randint(20, 120)} and evict 0 pages"))
        if stall(m) and rng.random() < 0.25:
            t = m + rng.uniform(0, 60)
            my.append((t, f"{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)}Z 0 [Warning] [MY-012574] [InnoDB] A long semaphore wait: --Thread {rng.randint(10 ** 14, 10 ** 15)} has waited at buf0flu.cc line 1496 for {rng.randint(240, 600)} seconds the semaphore"))
        if rng.random() < 0.15:
            t = m + rng.uniform(0, 60)
            my.append((t, f"{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)}Z {rng.randint(10000, 99999)} [Note] [MY-010914] [Server] Aborted connection {rng.randint(10 ** 5, 10 ** 6)} to db: 'orders' user: 'metabase' host: '10.8.20.14' (Got timeout reading communication packets)."))
    s.log("/aws/rds/instance/orders-mysql/error", "orders-mysql", my)
    simulate_lambda(s, "orders-export", lambda t: 1.0 if int(t) % 3600 == 0 else 0.0, lambda r, t: {
        "dur": r.uniform(40000, 70000), "mem": 420, "lines": [py_line("INFO", "hourly orders export uploaded to sftp://partner-erp")]}, 1024, 300, streams=1)
    s.change(-5200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "orders-export", "ops-julien")
    d = {"LoadBalancer": lb}
    s.alarm("orders-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 20, "GreaterThanThreshold",
            "ALARM", onset + 210, "orders web 5xx")
    s.alarm("orders-web-2-disk", "CWAgent", "disk_used_percent", {"InstanceId": webs[1][0], "path": "/", "fstype": "xfs"}, "Average",
            300, 1, 85, "GreaterThanThreshold", "OK", -12000)
    s.expect("orders-alb-target-5xx", "dependency_failure", [db],
             [anomaly("AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}), anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d)])
    return s
