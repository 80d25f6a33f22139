"""h97-07 (tarball unpack workers on ECS, Go) and h97-08 (scan findings on RDS MySQL)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import mysql, zap

from .base import (LambdaLogs, bump, diurnal, ecs_metrics, emit, every, lam_metrics,
                   lambda_run, meta, new, put, ramp, rds_metrics)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def build_07():
    sc = new(7, "scan-queue-backlog", "New packages are not getting scanned; the unpack job "
             "queue's age alarm fired.", "us-west-2", "2026-03-20T07:15:00")
    rng = sc.rng
    cl, svc = "scanners", "tarball-unpack"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=2048, memory=4096,
                runtime="go1.22", queue="unpack-jobs")
    sc.resource("ecs", f"{cl}/sbom-builder", launch_type="FARGATE", desired_count=2, memory=2048,
                runtime="go1.22")
    onset = -2200
    kills = []
    t = onset + 95
    while t < -30:
        kills.append(t)
        t += rng.uniform(230, 330)
    hot = lambda t: t >= onset

    def mem(t):
        if not hot(t):
            return 34 + 3 * diurnal(sc, t, 9, 0.3)
        since = min([t - k for k in kills if k <= t] + [t - onset + 95])
        return 34 + 16 * min(1.0, since / 200)

    ecs_metrics(sc, cl, svc, lambda t: 38 * diurnal(sc, t, 9, 0.3) * (0.8 if hot(t) else 1), mem,
                running=lambda t: 3.0 if any(k <= t < k + 60 for k in kills) else 4.0)
    ecs_metrics(sc, cl, "sbom-builder", lambda t: 22.0, lambda t: 44 + bump(t, -10200, -9600, 38),
                running=lambda t: 2.0)
    q = {"QueueName": "unpack-jobs"}
    age = lambda t: 35 + (max(0.0, t - onset) * 0.85 if hot(t) else 0)
    put(sc, "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", age, noise=0.04, digits=0)
    put(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
        lambda t: 12 + (max(0.0, t - onset) / 60 * 21 if hot(t) else 0), integer=True)
    put(sc, "AWS/SQS", "NumberOfMessagesDeleted", q, "Count",
        lambda t: 48 * diurnal(sc, t, 9, 0.3) * (0.35 if hot(t) else 1), integer=True)
    grp = f"/ecs/{cl}/{svc}"
    bad = "@deepvision/model-zoo"

    def work(ts):
        pkg = rng.choice(PKGS)
        if rng.random() < 0.05:
            return zap(sc, ts, "warn", "skipping symlink outside archive root", "unpack/tar.go:133",
                       package=pkg, entry="package/node_modules/.bin/" + rng.choice(["tsc", "eslint"]))
        if rng.random() < 0.04:
            return zap(sc, ts, "error", "unpack failed", "worker/worker.go:88", package=pkg,
                       error="gzip: invalid header")
        return zap(sc, ts, "info", "unpacked", "worker/worker.go:102", package=pkg,
                   files=rng.randint(8, 900), bytes=rng.randint(20_000, 9_000_000),
                   dur_ms=rng.randint(40, 900))

    # four tasks; at each OOM kill the oldest one (which picked up the poison job) is replaced
    cur = [[f"ecs/unpack/{sc.hexid(32)}", -21600.0] for _ in range(4)]
    segs = []
    for n, k in enumerate(kills):
        slot = min(cur, key=lambda c: c[1])
        victim = slot[0]
        segs.append((victim, slot[1], k - 175))
        sc.log(grp, victim, k - 170, zap(sc, k - 170, "info", "job received", "worker/worker.go:61",
                                         package=bad, version="4.0.0", compressed_bytes=612_884_112,
                                         receive_count=n + 1))
        for j, share in enumerate((0.2, 0.45, 0.7, 0.9)):
            tt = k - 160 + j * 38
            sc.log(grp, victim, tt, zap(sc, tt, "info", "extract progress", "unpack/tar.go:201",
                                        package=bad, files=int(254_000 * share),
                                        bytes_written=int(1.9e9 * share)))
        fresh, nt = f"ecs/unpack/{sc.hexid(32)}", k + 52
        sc.log(grp, fresh, nt, zap(sc, nt, "info", "starting unpack worker", "cmd/worker/main.go:38",
                                   version="3.12.1", queue="unpack-jobs", concurrency=4))
        slot[0], slot[1] = fresh, nt + 2
    segs += [(name, st, 0.0) for name, st in cur]
    for name, st, en in segs:
        emit(sc, grp, name, lambda t: 1.8 * (0.5 if hot(t) else 1), work, start=st, end=en)
    eg, es = "/aws/events/ecs-task-state", "ecs-task-state-change"
    for k in kills:
        tid = sc.hexid(32)
        ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change",
              "source": "aws.ecs", "account": sc.account, "time": sc.iso(k + 4, 0), "region": sc.region,
              "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/{cl}",
                         "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                         "stopCode": "EssentialContainerExited",
                         "stoppedReason": "Essential container in task exited",
                         "containers": [{"name": "unpack", "exitCode": 137, "lastStatus": "STOPPED",
                                         "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                         "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{cl}/{tid}"}}
        sc.log(eg, es, k + 4, json.dumps(ev, separators=(",", ":")))
    every(sc, eg, es, 3600, lambda ts: json.dumps({"detail-type": "ECS Task State Change", "source": "aws.ecs",
                                                   "time": sc.iso(ts, 0), "detail": {"group": "family:nightly-reindex",
                                                   "lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                                                   "containers": [{"name": "reindex", "exitCode": 0}]}},
                                                  separators=(",", ":")))
    bg = f"/ecs/{cl}/sbom-builder"
    emit(sc, bg, f"ecs/sbom/{sc.hexid(32)}", lambda t: 1.0, lambda ts: zap(
        sc, ts, "info", "sbom written", "sbom/write.go:40", package=rng.choice(PKGS),
        components=rng.randint(5, 700)), end=-2230)
    sb2 = f"ecs/sbom/{sc.hexid(32)}"
    sc.log(bg, sb2, -2236, zap(sc, -2236, "info", "starting sbom-builder", "cmd/sbom/main.go:22",
                               version="0.9.4"))
    emit(sc, bg, sb2, lambda t: 1.0, lambda ts: zap(
        sc, ts, "info", "sbom written", "sbom/write.go:40", package=rng.choice(PKGS),
        components=rng.randint(5, 700)), start=-2230)
    sc.change(-2275, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "sbom-builder:57", "github-actions-deploy")
    sc.change(-2262, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/sbom-builder",
              "github-actions-deploy")
    sc.alarm("unpack-jobs-oldest-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 60, 3,
             600, "GreaterThanThreshold", "Scan pipeline backlog")
    sc.alarm("sbom-builder-memory", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": cl, "ServiceName": "sbom-builder"}, "Average", 300, 1, 75, "GreaterThanThreshold")
    sc.expect = {"alarm": "unpack-jobs-oldest-age",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]}}
    meta(sc, front="front (the SQS queue's age; origin is the ECS worker service)",
         decoys="sbom-builder deploy 60 s before onset and its own memory spike 2.2 h earlier; "
         "gzip/symlink worker errors all along; a nightly-reindex task stop every hour",
         services="ECS, SQS (metrics only), EventBridge log", runtime="Go", logfmt="zap JSON, ECS events JSON",
         story="From -37 min a tarball-unpack task is OOM-killed every 4-5 minutes: the ECS task-state "
         "events show exit code 137 with `OutOfMemoryError: Container killed due to memory usage`; "
         "each victim's last lines are `job received` / `extract progress` for @deepvision/model-zoo "
         "4.0.0 (254k files, ~1.9 GB) with receive_count climbing, i.e. the same message redelivered. "
         "Service memory saw-tooths, RunningTaskCount dips and throughput falls, so the queue's age "
         "climbs. No change touched tarball-unpack; the sbom-builder deploy just before is unrelated.")
    return sc


def build_08():
    sc = new(8, "findings-writer-errors", "Security findings are not being stored; the writer's "
             "error alarm fired.", "eu-west-1", "2026-03-21T13:45:00")
    rng = sc.rng
    db, fn = "scanfindings-db", "findings-writer"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512, trigger="sqs:findings")
    sc.resource("lambda", "license-report", runtime="python3.11", timeout=300, memory_size=1024)
    backfill, full = -14000, -1500
    free = lambda t: max(0.05, 26.0 - 0.1 * (t + 21600) / 3600 - 25.5 * ramp(t, backfill, full) ** 0.9)
    onset = full
    frac = lambda t: 0.01 + 0.93 * ramp(t, onset - 30, onset + 60)
    inv = lambda t: 32 * diurnal(sc, t, 14, 0.2) * (1.25 if backfill <= t else 1)
    lam_metrics(sc, fn, inv, lambda t: frac(t) * inv(t), lambda t: 180 + 40 * ramp(t, onset - 30, onset + 60))
    lam_metrics(sc, "license-report", lambda t: 1.0, lambda t: 0.0, lambda t: 41000.0)
    rds_metrics(sc, db, lambda t: 19 + 14 * (backfill <= t) + bump(t, backfill, backfill + 900, 30), lambda t: 64.0,
                free, lambda t: 3.1, write_ms=lambda t: 2.2 + 9 * ramp(t, onset - 30, onset + 60))
    dup = ("[WARNING]\t{ts}\t{rid}\tduplicate finding ignored: (1062, \"Duplicate entry '{adv}-{pid}' "
           "for key 'findings.uq_advisory_pkg'\")")

    def body(ll, t, rid, is_err, cold):
        n = rng.randint(5, 40)
        src = "backfill-2026q1" if t >= backfill and rng.random() < 0.4 else "publish"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"batch size={n} source={src}"))]
        if rng.random() < 0.12:
            lines.append((0.05, dup.format(ts=sc.iso(t + 0.05), rid=rid, adv=f"GHSA-{sc.hexid(4)}-"
                                           f"{sc.hexid(4)}-{sc.hexid(4)}", pid=rng.randint(1000, 90000))))
        if is_err and t >= onset - 30:
            lines.append((0.2, "[ERROR] OperationalError: (1114, \"The table 'findings' is full\")\n"
                          "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 44, in "
                          "handler\n    store.insert_many(rows)\n  File \"/var/task/store.py\", line 71, in "
                          "insert_many\n    cur.executemany(INSERT_SQL, rows)\n  File \"/var/task/pymysql/"
                          "cursors.py\", line 182, in executemany\n    return self._do_execute_many("))
            return {"lines": lines, "dur": rng.uniform(150, 260)}
        if is_err:
            lines.append((0.3, "[ERROR] KeyError: 'severity'\nTraceback (most recent call last):\n  File "
                          "\"/var/task/app.py\", line 38, in handler\n    rows = [to_row(f) for f in batch]"))
            return {"lines": lines, "dur": rng.uniform(60, 120)}
        lines.append((0.16, ll.fmt(t + 0.16, rid, "INFO", f"stored {n} findings")))
        return {"lines": lines, "dur": rng.uniform(120, 240)}

    ll = LambdaLogs(sc, fn, "python3.11", 512, 60, mem_used=(105, 8))
    lambda_run(ll, lambda t: 4.0, frac, body, start=-5 * 3600)
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, eg, es, lambda t: 0.4, lambda ts: mysql(
        sc, ts, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.0')}' could not be resolved: Name or "
        "service not known"))
    emit(sc, eg, es, lambda t: 1.5 if t >= onset - 20 else 0, lambda ts: mysql(
        sc, ts, rng.randint(20, 90), "ERROR", "MY-012144", "[InnoDB] posix_fallocate(): Failed to preallocate "
        "data for file ./scanfindings/findings.ibd, desired size 4194304 bytes. Operating system error "
        "number 28. Check that the disk is not full or a disk quota exceeded.", "InnoDB"))
    every(sc, eg, es, 60, lambda ts: mysql(
        sc, ts, 11, "ERROR", "MY-000035", "Disk is full writing '/rdsdbdata/log/binlog/mysql-bin-changelog."
        f"00{rng.randint(4700, 4760)}' (OS errno 28 - No space left on device). Waiting for someone to "
        "free space... Retry in 60 secs. Write error message to error log every 10 times"), start=onset + 10)
    sc.log(eg, es, backfill + 40, mysql(sc, backfill + 40, 0, "Note", "MY-010914", "Aborted connection 88213 "
                                        "to db: 'scanfindings' user: 'backfill' host: '10.0.7.21' (Got an "
                                        "error reading communication packets)."))
    lg = LambdaLogs(sc, "license-report", "python3.11", 1024, 300, retire=[-1560],
                    epochs=[(-10 ** 9, "$LATEST")])
    lambda_run(lg, lambda t: 1.0, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(40.0, ll.fmt(t + 40, rid, "INFO", f"license report built for {rng.randint(30, 90)} orgs"))],
        "dur": rng.uniform(38000, 44000)}, start=-3 * 3600)
    sc.change(backfill - 120, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", "ops/findings-backfill",
              "p.novak")
    sc.change(-1560, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "license-report", "ci-deployer")
    sc.alarm("findings-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Findings writer failing")
    sc.alarm("scanfindings-db-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db},
             "Minimum", 300, 1, 2e9, "LessThanThreshold")
    sc.expect = {"alarm": "findings-writer-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]}}
    meta(sc, front="front (the calling Lambda; origin is the RDS instance)",
         decoys="license-report deploy 60 s before onset; KeyError and duplicate-entry noise in the "
         "writer all along; a one-off findings-backfill task started 3.5 h before the onset",
         services="Lambda, RDS", runtime="Python 3.11", logfmt="Lambda Python text, MySQL error log",
         story="scanfindings-db's FreeStorageSpace, already slowly falling, drops steeply once a "
         "findings backfill starts at -3.9 h and reaches ~0 at -25 min. From then the MySQL error log "
         "shows `Operating system error number 28` and `Disk is full writing ... mysql-bin-changelog`, "
         "and findings-writer fails 93 % of batches with `(1114, \"The table 'findings' is full\")`. "
         "The license-report deploy is the change nearest the onset but is unrelated; the RunTask that "
         "started the backfill is the reason the disk filled, not a config change, and the category is "
         "decided by the full storage.")
    return sc


BUILDERS = [build_07, build_08]
