"""h81-05 (CTR scorer heap exhausted, alarm on the public bid ALB) and h81-06 (spend ledger MySQL
out of storage, alarm on the writing Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql, pino, spring

from .base import (Tasks, alb, diurnal, ecs, emit, every, jtrace, lam, lambda_code, lambda_config, new,
                   per_minute, ramp, rds, slog)


def build_05():
    sc = new(5, "bid-router-5xx", "5xx on the Frankfurt bid endpoint; exchanges are timing us out and "
             "the public ALB 5xx alarm is in ALARM.", "eu-central-1", "2026-04-20T19:25:00+00:00")
    lb, cl, router, scorer, fn = ("app/bid-euc1-pub/5a8e2c4b7d9f1036", "rtb-euc1", "bid-router", "ctr-scorer",
                                  "model-publish")
    T_oom = -1900
    oom = lambda t: t >= T_oom
    leak = lambda t: min(100.0, 64 + 36 * (t + 21600) / (21600 + T_oom))
    sc.resource("alb", lb, name="bid-euc1-pub", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{router}", launch_type="FARGATE", desired_count=20, container_runtime="node20")
    sc.resource("ecs", f"{cl}/{scorer}", launch_type="FARGATE", desired_count=8, cpu=2048, memory=4096,
                container_runtime="java21", java_opts="-Xmx3276m -XX:+ExitOnOutOfMemoryError")
    sc.resource("lambda", fn, runtime="python3.11", timeout=600, memory_size=3008)
    d = lambda t: diurnal(sc, t, peak_hour=19, amp=0.2)
    alb(sc, lb, req=lambda t: 140000 * d(t), rt=lambda t: 0.015 + (0.016 if oom(t) else 0.0),
        t5=lambda t: 4 + (0.015 * 140000 * d(t) if oom(t) else 0), e5=lambda t: 0.5, healthy=lambda t: 20)
    ecs(sc, cl, router, cpu=lambda t: 41 * d(t), mem=lambda t: 37, running=lambda t: 20)
    ecs(sc, cl, scorer, cpu=lambda t: 40 * d(t) + 35 * ramp(t, -4200, -1900),
        mem=lambda t: 96.5 if oom(t) else leak(t),
        running=lambda t: (8 - sc.rng.choice([0, 1, 1, 2, 3])) if oom(t) else 8)
    lam(sc, fn, inv=lambda t: 1 if (t % 3600) < 60 else 0, err=lambda t: 0,
        dur=lambda t: 212000 if (t % 3600) < 60 else None, conc=lambda t: 1 if (t % 3600) < 60 else 0)

    app = "ctr-scorer"
    g = "/ecs/ctr-scorer"
    boundaries = [T_oom, -1330, -760, -230]
    tasks = Tasks(sc, "ecs", scorer, [(-40000, 4)] + [(b, 4) for b in boundaries])

    def cache(t):
        frac = (leak(t) - 64) / 36
        return spring(sc, t, "INFO", "segment-refresh", "c.a.scorer.segments.SegmentCache",
                      f"Segment cache refreshed: entries={int(1_210_000 + 760_000 * frac)} "
                      f"heapUsed={2.05 + 1.16 * frac:.2f}GB heapMax=3.20GB", app)

    every(sc, g, tasks, 75, cache)
    emit(sc, g, tasks, lambda t: 3 * ramp(t, -4200, -3000), lambda t: spring(
        sc, t, "WARN", "gc-monitor", "c.a.scorer.jvm.GcMonitor",
        f"GC overhead {sc.rng.randint(25, 48)}% of wall time over last 60s (G1 Old Gen {sc.rng.randint(91, 99)}% used)", app))
    for k, b in enumerate(boundaries):
        for i, s in enumerate(tasks.first(k)):
            t = b - sc.rng.uniform(5, 40)
            sc.log(g, s, t, spring(sc, t, "ERROR", f"grpc-default-executor-{sc.rng.randint(1, 64)}",
                   "c.a.scorer.grpc.ScoreService", "Scoring request failed\n" + jtrace(
                       "java.lang.OutOfMemoryError: Java heap space",
                       ["java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
                        "java.base/java.util.HashMap.resize(HashMap.java:710)",
                        "com.adstack.scorer.segments.SegmentCache.put(SegmentCache.java:118)",
                        "com.adstack.scorer.grpc.ScoreService.score(ScoreService.java:64)"]), app))
            sc.log(g, s, t + 0.4, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        for i, s in enumerate(tasks.first(k + 1)):
            t = b + 20 + i * 7
            sc.log(g, s, t, spring(sc, t, "INFO", "main", "c.a.scorer.CtrScorerApplication",
                   "Starting CtrScorerApplication v4.12.1 using Java 21.0.3 with PID 1", app))
            sc.log(g, s, t + 14.2, spring(sc, t + 14.2, "INFO", "main", "c.a.scorer.CtrScorerApplication",
                   "Started CtrScorerApplication in 14.2 seconds (process running for 15.1)", app))

    rg = "/ecs/bid-router"
    rtasks = Tasks(sc, "ecs", router, [(-40000, 6)])
    host = lambda: f"ip-10-31-{sc.rng.randint(1, 40)}-{sc.rng.randint(2, 250)}.eu-central-1.compute.internal"
    emit(sc, rg, rtasks, lambda t: 3, lambda t: pino(sc, t, "info", "bid", host(), ssp=sc.rng.choice(
        ["adform", "smartadserver", "yieldlab", "improve"]), ctr=round(sc.rng.uniform(0.0005, 0.01), 5),
        price_cpm=round(sc.rng.uniform(0.2, 5.0), 3), ms=sc.rng.randint(6, 22)))
    emit(sc, rg, rtasks, lambda t: 1, lambda t: pino(sc, t, "error", "invalid bid request", host(),
         err={"type": "ValidationError", "message": "imp[0] has neither banner nor video"}, ssp="yieldlab"))
    emit(sc, rg, rtasks, lambda t: 0.7, lambda t: pino(sc, t, "warn", "slow scorer response", host(),
         upstream="ctr-scorer.rtb-euc1.local:9090", ms=sc.rng.randint(12, 30)))
    emit(sc, rg, rtasks, lambda t: 6 if oom(t) else 0, lambda t: pino(
        sc, t, "error", "scorer call failed, returning 503", host(), upstream="ctr-scorer.rtb-euc1.local:9090",
        err={"type": "Error", "code": sc.rng.choice(["ECONNREFUSED", "ECONNRESET", "UNAVAILABLE"]),
             "message": sc.rng.choice(["14 UNAVAILABLE: Connection dropped", "connect ECONNREFUSED 10.31.7.44:9090",
                                       "14 UNAVAILABLE: No connection established"])}))
    lambda_code(sc, -2100, fn, "mlops-pipeline", publish=True)
    sc.alarm("bid-euc1-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 800, "GreaterThanThreshold", "Public bid endpoint 5xx")
    sc.alarm("ctr-scorer-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": scorer},
             "Average", 300, 3, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "bid-euc1-pub-target-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{scorer}", scorer]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": scorer}}]}
    sc.meta = dict(
        front="front (ALB, via the router service)", services="ALB, ECS (Node pino + Java Spring), Lambda (Python)",
        decoys="model-publish Lambda deploy 3 min before the onset; steady router validation errors and slow-scorer "
               "warnings; scorer CPU climbing from GC",
        story="The router answers the exchanges and calls `ctr-scorer` over gRPC. The scorer's segment cache has "
              "grown all day (`entries` 1.2M to 1.97M, `heapUsed` to 3.2 of 3.2 GB) and its MemoryUtilization "
              "climbed from 64 % to the limit; from -32 min every task dies with `java.lang.OutOfMemoryError: Java "
              "heap space` / `Terminating due to java.lang.OutOfMemoryError`, restarts and dies again, while the router "
              "logs `scorer call failed, returning 503` and the ALB 5xx alarm fires. The model-publish deploy is the "
              "only change nearby but it runs hourly and the heap growth started hours before it.")
    return sc


def build_06():
    sc = new(6, "ledger-flush-errors", "Spend ledger flush function is erroring in Sydney; the spend "
             "dashboard is lagging.", "ap-southeast-2", "2026-04-22T03:50:00+00:00")
    fn, db, other = "ledger-flush-apse2", "adspend-mysql-apse2", "invoice-draft"
    T_full = -1500
    full = lambda t: t >= T_full
    free = lambda t: max(0.018, 38.0 * (1 - (t + 21600) / (21600 + T_full)))
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=30, memory_size=512, language="go1.22",
                event_source="SQS spend-events-apse2")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=500, storage_autoscaling=False)
    sc.resource("lambda", other, runtime="dotnet8", timeout=60, memory_size=1024)
    d = lambda t: diurnal(sc, t, peak_hour=3, amp=0.15)
    lm = lam(sc, fn, inv=lambda t: 120 * d(t), err=lambda t: 118 * d(t) if full(t) else 0.08,
             dur=lambda t: 62 if full(t) else 185, conc=lambda t: 6 if full(t) else 4)
    lo = lam(sc, other, inv=lambda t: 2, err=lambda t: 0, dur=lambda t: 1400, conc=lambda t: 1)
    rds(sc, db, cpu=lambda t: 18 if full(t) else 31 * d(t), conns=lambda t: 260 if full(t) else 140,
        free_gb=free, freeable_gb=lambda t: 4.4, write_lat=lambda t: 0.35 if full(t) else 0.0021)

    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 30, mem_used=(41, 3))

    def body(ll_, t, rid, is_err, cold):
        rows = sc.rng.randint(200, 900)
        if full(t):
            return {"dur": sc.rng.gauss(62, 8), "lines": [(0.05, slog(
                sc, t + 0.05, "ERROR", "flush failed", request_id=rid, rows=rows, table="ledger_entries",
                err="Error 1114 (HY000): The table 'ledger_entries' is full"))]}
        lines = []
        if sc.rng.random() < 0.03:
            lines.append((0.04, slog(sc, t + 0.04, "WARN", "deadlock on insert, retrying", request_id=rid, attempt=1,
                                     err="Error 1213 (40001): Deadlock found when trying to get lock; try "
                                         "restarting transaction")))
        dur = sc.rng.gauss(185, 30)
        lines.append((dur / 1000 - 0.01, slog(sc, t + dur / 1000 - 0.01, "INFO", "flushed batch", request_id=rid,
                                              rows=rows, campaigns=sc.rng.randint(20, 90), ms=int(dur))))
        return {"dur": dur, "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.04), {}, body)
    lo_logs = LambdaLogs(sc, other, "dotnet8", 1024, 60, mem_used=(160, 10))
    lo_logs.run(per_minute(lo["inv"], scale=0.3), {}, lambda ll_, t, rid, e, c: {"dur": sc.rng.gauss(1400, 200), "lines": [
        (0.2, ll_.fmt(t + 0.2, rid, "INFO", f"Drafted invoice INV-{sc.rng.randint(100000, 999999)} for advertiser "
                                           f"{sc.rng.randint(1000, 9999)}"))]})

    mg, ms = f"/aws/rds/instance/{db}/error", db
    th = lambda: sc.rng.randint(1000, 90000)
    emit(sc, mg, ms, lambda t: 0.4, lambda t: mysql(sc, t, th(), "Note", "MY-010914", f"Aborted connection {th()} "
         f"to db: 'adspend' user: 'ledger' host: '10.50.{sc.rng.randint(1, 30)}.{sc.rng.randint(2, 250)}' (Got an "
         "error reading communication packets)."), start=-21600)
    emit(sc, mg, ms, lambda t: 0.15, lambda t: mysql(sc, t, 0, "Warning", "MY-010055", f"IP address "
         f"'10.50.{sc.rng.randint(1, 30)}.{sc.rng.randint(2, 250)}' could not be resolved: Name or service not known"),
         start=-21600)

    def disk(t):
        r = sc.rng.random()
        if r < 0.4:
            return mysql(sc, t, th(), "ERROR", "MY-012639", "Write to file ./adspend/ledger_entries.ibd failed at offset "
                         f"{sc.rng.randint(400, 500) * 1073741824}, 1048576 bytes should have been written, only 0 were "
                         "written. Operating system error number 28. Check that your OS and file system support files "
                         "of this size. Check also that the disk is not full or a disk quota exceeded.", "InnoDB")
        if r < 0.7:
            return mysql(sc, t, th(), "ERROR", "MY-012640", "Error number 28 means 'No space left on device'", "InnoDB")
        return mysql(sc, t, th(), "ERROR", "MY-013132", "The table 'ledger_entries' is full!")

    emit(sc, mg, ms, lambda t: 5 if full(t) else 0, disk)
    every(sc, mg, ms, 3600, lambda t: mysql(sc, t, 0, "Note", "MY-010733", "Binary log 'mysql-bin-changelog."
          f"{int(t // 300) + 90000:06d}' rotated; retention 168 hours"), start=-21600)

    lambda_config(sc, -1620, other, "ops-bot")
    lambda_code(sc, -11800, fn, "buildkite-release", publish=True)
    sc.alarm("ledger-flush-apse2-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Spend ledger flush errors")
    sc.alarm("adspend-mysql-apse2-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db},
             "Minimum", 300, 1, 5 * 1024 ** 3, "LessThanThreshold")
    sc.alarm("invoice-draft-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 1,
             "GreaterThanOrEqualToThreshold")
    sc.expect = {"alarm": "ledger-flush-apse2-errors", "root_cause": {"category": "storage_exhaustion",
                                                                     "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        front="front (caller Lambda)", services="Lambda (Go slog, .NET), RDS MySQL",
        decoys="configuration change to an unrelated .NET Lambda 2 min before the onset; older deploy of the "
               "failing function (3.3 h before, healthy since); steady deadlock retries and MySQL connection notes",
        story="FreeStorageSpace of `adspend-mysql-apse2` (500 GB, no storage autoscaling) fell steadily all "
              "morning and reached ~0 at -25 min. From then the Go flush function fails every batch with `Error 1114 "
              "(HY000): The table 'ledger_entries' is full` and the MySQL error log shows `Write to file "
              "./adspend/ledger_entries.ibd failed ... Operating system error number 28` / `No space left on device`. "
              "The deadlock retries were there at the same rate for hours; the invoice-draft configuration change is the "
              "closest change but that function never touches the ledger and stays healthy.")
    return sc


BUILDERS = [build_05, build_06]
