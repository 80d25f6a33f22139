"""h81-15 (campaign PostgreSQL crashed and is replaying WAL, alarm on the spend flush Lambda) and
h81-16 (frequency-cap Redis host out of disk, MISCONF errors in the Seoul bidder behind its ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring, zap

from .base import (LOG0, Tasks, alb, bump, diurnal, ec2, ecs, ecs_deploy, emit, every, jtrace, lam, lambda_code,
                   new, per_minute, rds, redis)


def build_15():
    sc = new(15, "spend-flush-errors", "Spend flush function failing in Paris; spend counters not "
             "advancing.", "eu-west-3", "2026-05-09T17:35:00+00:00")
    fn, db, cl, svc, other = "spend-flush-euw3", "campaigns-euw3", "rtb-euw3", "bidder", "report-export"
    T_x = -1700
    down = lambda t: t >= T_x
    host = f"{db}.c9x2k1a7d0fq.eu-west-3.rds.amazonaws.com"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=20, memory_size=256, language="go1.22 (pgx)",
                event_source="SQS spend-events-euw3")
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.2xlarge",
                max_connections=3000, allocated_storage_gb=1500, multi_az=False)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=16, container_runtime="go1.22")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=300, memory_size=1024)
    d = lambda t: diurnal(sc, t, peak_hour=18, amp=0.2)
    lm = lam(sc, fn, inv=lambda t: 200 * d(t), err=lambda t: 200 * d(t) if down(t) else 0.04,
             dur=lambda t: 31 if down(t) else 96, conc=lambda t: 6 if down(t) else 4)
    lam(sc, other, inv=lambda t: 2 + bump(t, -10800, -10500, 40, edge=60), err=lambda t: 0,
        dur=lambda t: 21000, conc=lambda t: 1 + bump(t, -10800, -10500, 35, edge=60))
    rds(sc, db, cpu=lambda t: 13 if down(t) else 31 * d(t), conns=lambda t: 2 if down(t) else 420,
        free_gb=lambda t: 702.0 - 0.0003 * (t + 21600) / 60, freeable_gb=lambda t: 41.0 if down(t) else 22.5,
        read_lat=lambda t: 0.004 if down(t) else 0.0011)
    ecs(sc, cl, svc, cpu=lambda t: 44 * d(t), mem=lambda t: 51, running=lambda t: 16)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 20, mem_used=(38, 2), max_envs=6)

    def body(ll_, t, rid, is_err, cold):
        if down(t):
            if t < T_x + 40:
                cause = "dial error (dial tcp 10.30.2.41:5432: connect: connection refused)"
            else:
                cause = "server error (FATAL: the database system is in recovery mode (SQLSTATE 57P03))"
            return {"dur": sc.rng.gauss(31, 5), "lines": [(0.02, zap(
                sc, t + 0.02, "error", "flush failed", "flush/handler.go:58", request_id=rid,
                error=f"failed to connect to `host={host} user=spend database=campaigns`: {cause}"))]}
        lines = []
        r = sc.rng.random()
        if r < 0.04:
            lines.append((0.03, zap(sc, t + 0.03, "error", "ledger upsert conflict, retrying", "flush/ledger.go:91",
                                    request_id=rid, error="ERROR: duplicate key value violates unique constraint "
                                    "\"spend_hourly_pkey\" (SQLSTATE 23505)")))
        elif r < 0.1:
            lines.append((0.02, zap(sc, t + 0.02, "warn", "duplicate spend event, skipping", "flush/dedupe.go:33",
                                    request_id=rid, event_id=sc.hexid(16))))
        dur = sc.rng.gauss(96, 15)
        lines.append((dur / 1000 - 0.005, zap(sc, t + dur / 1000 - 0.005, "info", "flushed spend batch",
                                              "flush/handler.go:71", request_id=rid, rows=sc.rng.randint(50, 400))))
        return {"dur": dur, "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.025), {}, body)
    g, s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, g, s, 300, lambda t: pg(sc, t, "LOG", "checkpoint starting: time", pid=402), start=-21600, end=T_x)
    every(sc, g, s, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(20000, 60000)} buffers "
          f"({sc.rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, {sc.rng.randint(20, 40)} recycled", pid=402),
          start=-21580, end=T_x)
    emit(sc, g, s, lambda t: 0.4, lambda t: pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 3000):.3f} ms  statement: "
         "SELECT campaign_id, sum(spend_micros) FROM spend_hourly WHERE hour >= $1 GROUP BY 1",
         client=f"10.30.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)}", user="reporting", db="campaigns"),
         start=-21600, end=T_x)
    seq = [(0.0, "LOG", "server process (PID 28114) was terminated by signal 11: Segmentation fault"),
           (0.0, "DETAIL", "Failed process was running: SELECT campaign_id, sum(spend_micros) FROM spend_hourly WHERE "
            "hour >= $1 GROUP BY 1"),
           (0.1, "LOG", "terminating any other active server processes"),
           (2.4, "LOG", "all server processes terminated; reinitializing"),
           (3.1, "LOG", "database system was interrupted; last known up at " + sc.at(T_x - 290).strftime(
               "%Y-%m-%d %H:%M:%S UTC")),
           (3.2, "LOG", "database system was not properly shut down; automatic recovery in progress"),
           (3.9, "LOG", "redo starts at 3A/1F2C0B8")]
    for dt, lvl, msg in seq:
        sc.log(g, s, T_x + dt, pg(sc, T_x + dt, lvl, msg, pid=402 if dt else 28114))
    every(sc, g, s, 30, lambda t: pg(sc, t, "LOG", f"redo in progress, elapsed time: {t - T_x - 3.9:.2f} s, current LSN: "
          f"3A/{int(0x1F2C0B8 + (t - T_x) * 2_400_000):X}", pid=402), start=T_x + 30, jitter=0.01)
    emit(sc, g, s, lambda t: 7, lambda t: pg(sc, t, "FATAL", "the database system is in recovery mode",
         client=f"10.30.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
         user=sc.rng.choice(["spend", "spend", "reporting", "bidder_ro"]), db="campaigns"), start=T_x + 45)

    tasks = Tasks(sc, "ecs", svc, [(-40000, 5), (-1740, 5)])
    emit(sc, "/ecs/bidder", tasks, lambda t: 3, lambda t: zap(sc, t, "info", "bid served", "server/handler.go:203",
         ssp=sc.rng.choice(["equativ", "adform", "criteo"]), price_cpm=round(sc.rng.uniform(0.3, 4.0), 3)))
    ecs_deploy(sc, -1800, cl, svc, "bidder", "gitlab-ci-bidding")
    sc.alarm("spend-flush-euw3-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Spend flush failures")
    sc.alarm("report-export-duration", "AWS/Lambda", "Duration", {"FunctionName": other}, "Average", 300, 2, 200000,
             "GreaterThanThreshold")
    sc.alarm("campaigns-euw3-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "spend-flush-euw3-errors", "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        front="front (caller Lambda)", services="Lambda (Go zap, Node), RDS PostgreSQL, ECS (Go)",
        decoys="bidder ECS deploy 100 s before the crash; a benign invocation burst of another Lambda 3 h earlier; "
               "steady unique-violation retries and slow-query logs",
        story="At -28 min a backend of `campaigns-euw3` died with `signal 11: Segmentation fault`; PostgreSQL "
              "terminated all sessions and has been in crash recovery since (`redo in progress, elapsed time: ...`), "
              "answering every connection with `FATAL: the database system is in recovery mode`. DatabaseConnections "
              "fell from ~420 to ~2, while CPU, memory and storage are far from any limit. The spend flush function "
              "fails every batch with `connection refused` and then `SQLSTATE 57P03` naming that host. The bidder "
              "deploy just before is unrelated (its logs are normal) and the unique-violation errors are as old as the "
              "log.")
    return sc


def build_16():
    sc = new(16, "bid-apne2-5xx", "Seoul bidder returning 5xx to exchanges; public ALB 5xx alarm firing.",
             "ap-northeast-2", "2026-05-11T08:55:00+00:00")
    lb, cl, svc, fn = "app/bid-apne2-pub/1f3e5d7c9b0a2468", "rtb-apne2", "bidder", "geo-db-refresh"
    hosts = {"i-0a12b34c56d78e901": "fcap-apne2-1", "i-0b23c45d67e89f012": "fcap-apne2-2"}
    bad = "i-0a12b34c56d78e901"
    T_f = -1860
    full = lambda t: t >= T_f
    sc.resource("alb", lb, name="bid-apne2-pub", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=24, container_runtime="java21",
                redis_client="lettuce (fcap-apne2-1, fcap-apne2-2)")
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="r6g.2xlarge", service="redis 7.2 (frequency caps)",
                    data_volume="/var/lib/redis (gp3 200 GiB)")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=120, memory_size=1024)
    d = lambda t: diurnal(sc, t, peak_hour=9, amp=0.2)
    req = lambda t: 88000 * d(t)
    alb(sc, lb, req=req, rt=lambda t: 0.016 + (0.002 if full(t) else 0), t5=lambda t: 5 + (0.11 * req(t) if full(t) else 0),
        e5=lambda t: 0.5, healthy=lambda t: 24)
    ecs(sc, cl, svc, cpu=lambda t: 47 * d(t), mem=lambda t: 56, running=lambda t: 24)
    save = lambda t: 1 if (t % 900) < 120 else 0
    for iid in hosts:
        b = iid == bad
        ec2(sc, iid, cpu=lambda t, b=b: 24 * d(t) + 30 * save(t) + (18 if b and full(t) else 0),
            net_in=lambda t: 1.6e8 * d(t), mem=lambda t: 71,
            disk=lambda t, b=b: min(100.0, 71 + 29 * (t + 21600) / (21600 + T_f)) if b else 54.0, path="/var/lib/redis")
    lam(sc, fn, inv=lambda t: 1 if t % 1800 < 60 else 0, err=lambda t: 0,
        dur=lambda t: 38000 if t % 1800 < 60 else None, conc=lambda t: 1 if t % 1800 < 60 else 0, exact=True)

    g = "/fcap/redis"
    for iid in hosts:
        b = iid == bad
        t = LOG0 + sc.rng.uniform(0, 900)
        while t < 0:
            if b and full(t):
                break
            pid = sc.rng.randint(8000, 30000)
            for dt, child, msg in [(0, False, "10000 changes in 60 seconds. Saving..."),
                                   (0.02, False, f"Background saving started by pid {pid}"),
                                   (41.0, True, "DB saved on disk"),
                                   (41.1, True, f"Fork CoW for RDB: current {sc.rng.randint(8, 40)} MB, peak "
                                    f"{sc.rng.randint(40, 90)} MB, average {sc.rng.randint(10, 30)} MB"),
                                   (41.3, False, "Background saving terminated with success")]:
                sc.log(g, iid, t + dt, redis(sc, t + dt, pid if child else 1, "*", msg, "C" if child else "M"))
            t += 900 + sc.rng.uniform(-5, 5)
        if b:
            t = T_f
            while t < 0:
                pid = sc.rng.randint(8000, 30000)
                sc.log(g, iid, t, redis(sc, t, 1, "*", f"Background saving started by pid {pid}"))
                sc.log(g, iid, t + 3.2, redis(sc, t + 3.2, pid, "#", "Write error saving DB on disk: No space left on "
                                                                   "device", "C"))
                sc.log(g, iid, t + 3.3, redis(sc, t + 3.3, 1, "#", "Background saving error"))
                t += 65 + sc.rng.uniform(-3, 3)
            emit(sc, g, iid, lambda t: 1, lambda t: redis(sc, t, 1, "#", "Error writing to the AOF file: No space left on "
                 "device"), start=T_f)
    tasks = Tasks(sc, "ecs", svc, [(-40000, 6)])
    bg = "/ecs/bidder"
    th = lambda: f"lettuce-nioEventLoop-4-{sc.rng.randint(1, 8)}"
    emit(sc, bg, tasks, lambda t: 2, lambda t: spring(sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 300)}",
         "c.a.bidder.auction.BidController", f"bid imp={sc.hexid(16)} ssp={sc.rng.choice(['kakao', 'naver-adx', 'gam'])} "
         f"cpm={sc.rng.uniform(0.1, 3.0):.4f}", "bidder"))
    emit(sc, bg, tasks, lambda t: 1, lambda t: spring(sc, t, "WARN", th(), "c.a.bidder.fcap.FcapStore",
         "Frequency-cap lookup skipped: io.lettuce.core.RedisCommandTimeoutException: Command timed out after 5 "
         "millisecond(s)", "bidder"))
    misconf = ("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands "
               "that may modify the data set are disabled, because this instance is configured to report errors during "
               "writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for "
               "details about the RDB error.")
    emit(sc, bg, tasks, lambda t: 6 if full(t) else 0, lambda t: spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 300)}", "c.a.bidder.auction.BidController",
        "Bid failed: frequency-cap increment rejected by fcap-apne2-1:6379\n" + jtrace(
            "io.lettuce.core.RedisCommandExecutionException: " + misconf,
            ["io.lettuce.core.internal.ExceptionFactory.createExecutionException(ExceptionFactory.java:151)",
             "io.lettuce.core.LettuceFutures.awaitOrCancel(LettuceFutures.java:125)",
             "com.adstack.bidder.fcap.FcapStore.increment(FcapStore.java:77)"]), "bidder"))
    lambda_code(sc, T_f - 60, fn, "jenkins-geo")
    sc.alarm("bid-apne2-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 1000, "GreaterThanThreshold", "Bidder 5xx to exchanges")
    sc.alarm("fcap-apne2-2-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-0b23c45d67e89f012"}, "Maximum", 60, 1,
             50, "GreaterThanThreshold")
    sc.expect = {"alarm": "bid-apne2-pub-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [bad, "fcap-apne2-1"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": bad, "path": "/var/lib/redis"}}]}
    sc.meta = dict(
        front="front (ALB, via the bidder service)", services="ALB, ECS (Java Spring/lettuce), EC2 x2 (Redis), Lambda (Node)",
        decoys="code deploy of a geo-data Lambda 1 min before the onset; CPU spikes on both Redis hosts every 15 min "
               "(BGSAVE) with a CPU alarm flapping on the healthy one; steady lettuce command-timeout warnings",
        story="`/var/lib/redis` on `fcap-apne2-1` (i-0a12...) filled steadily from 71 % to 100 % over six hours. At -31 "
              "min its BGSAVE starts failing (`Write error saving DB on disk: No space left on device`, `Background saving "
              "error`, `Error writing to the AOF file: No space left on device`) and, with stop-writes-on-bgsave-error, "
              "Redis rejects writes: the bidder logs `RedisCommandExecutionException: MISCONF Redis is configured to save "
              "RDB snapshots...` for fcap-apne2-1 and returns 5xx for ~11 % of bids. The geo-db-refresh deploy is the "
              "only change and is unrelated; the 15-minute CPU spikes are normal snapshotting on both hosts.")
    return sc


BUILDERS = [build_15, build_16]
