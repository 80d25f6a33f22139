"""h77-07 (session recommender tasks OOM-killed) and h77-08 (feature-store MySQL disk full)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, bump, diurnal, ecs_deploy, ecs_metrics, gunicorn, lam,
                  lam_metrics, lambda_config, lambda_deploy, mysql, ramp, rds_metrics, run_lambda, task_event)


def s07() -> S77:
    sc = S77(7, "session-reco-memory",
             "session-reco memory alarm; 'recommended for you' rail intermittently empty in the app.",
             "ap-northeast-1", 7707, "2026-03-15T02:40:00+00:00")
    cl, svc, tr = "reco-cluster", "session-reco", "trending-api"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=6,
                runtime="python3.11 gunicorn (4 workers) + torch CPU", image="session-reco:3.9.2")
    sc.resource("ecs", f"{cl}/{tr}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3, runtime="go1.22")
    sc.resource("lambda", "reco-eval-nightly", runtime="provided.al2023", timeout=900, memory_size=1024)
    on = -4200
    tk = Tasks(sc, "session-reco", "app")
    kills = []
    # per-task memory: flat ~52 % before onset, then each task leaks at its own rate until killed at 100 %
    for _ in range(6):
        task = tk.add(1, -70000)[0]
        while True:
            task["rate"] = sc.rng.uniform(1.1, 2.1) / 60.0
            task["g0"] = max(on + sc.rng.uniform(0, 300), task["start"])
            kill = task["g0"] + 48.0 / task["rate"]
            if kill > 0:
                break
            task["end"] = kill
            kills.append((kill, task))
            task = tk.add(1, kill + 70)[0]

    def mem_of(task, t):
        return min(100.0, 52 + max(0.0, t - task["g0"]) * task["rate"])

    def avg_mem(t):
        live = tk.live(t)
        vals = [mem_of(k, t) for k in live]
        return sum(vals) / len(vals) if vals else 52.0
    ecs_metrics(sc, cl, svc, lambda t: 44 * diurnal(sc, t, 1.0, 0.2), avg_mem, lambda t: len(tk.live(t)),
                lambda t: 6)
    ecs_metrics(sc, cl, tr, lambda t: 27 + bump(t, -1900, -1700, 58, 60), lambda t: 35,
                lambda t: 3 + 3 * bump(t, -1900, -1760, 1, 30), lambda t: 3)
    lam_metrics(sc, "reco-eval-nightly", lambda t: 0.05 + bump(t, -12000, -10800, 4, 60), lambda t: 0.0,
                lambda t: 240000)
    grp = f"/ecs/{svc}"
    for task in tk.tasks:
        if task["start"] > LOG_START:
            st = tk.stream(task)
            for i, m in enumerate(["Starting gunicorn 21.2.0", "Listening at: http://0.0.0.0:8000 (1)",
                                   "Using worker: uvicorn.workers.UvicornWorker", "Booting worker with pid: 7",
                                   "Booting worker with pid: 8", "Booting worker with pid: 9", "Booting worker with pid: 10"]):
                sc.log(grp, st, task["start"] + 2 + i * 0.4, gunicorn(sc, task["start"] + 2 + i * 0.4, 1, "INFO", m))

    def line(t):
        k = tk.at(t)
        if not k:
            return None
        st, m = tk.stream(k), mem_of(k, t)
        r = sc.rng.random()
        if r < 0.18:
            text = gunicorn(sc, t, sc.rng.randint(7, 10), "ERROR", "reco.features: grpc call to feature-store "
                            "timed out after 50ms; serving with stale features")
        elif r < 0.3:
            size = 21000 + sc.rng.randint(-900, 900) if t < on else int(21000 + (t - max(on, k["start"])) * 31)
            ev = sc.rng.randint(300, 800) if t < on else 0
            text = gunicorn(sc, t, sc.rng.randint(7, 10), "INFO", f"reco.cache: session embedding cache entries={size} "
                            f"evicted_last_min={ev} rss_mb={int(m * 40.96)}")
        else:
            text = gunicorn(sc, t, sc.rng.randint(7, 10), "INFO", f"reco.api: POST /v1/session-reco 200 "
                            f"items={sc.rng.randint(20, 40)} took={sc.rng.randint(18, 60)}ms")
        sc.log(grp, st, t, text)
        if m is not None and m > 93 and sc.rng.random() < 0.25:
            sc.log(grp, st, t + 0.2, gunicorn(sc, t + 0.2, 1, "ERROR", f"Worker (pid:{sc.rng.randint(7, 10)}) was "
                                              "sent SIGKILL! Perhaps out of memory?"))
    sc.emit(grp, "-", LOG_START, 0, 4.0, line)
    for kill, task in kills:
        sc.log("/aws/events/ecs-task-state", "events", kill + 3, task_event(
            sc, kill + 3, cl, svc, task, "OutOfMemoryError: Container killed due to memory usage", 137, "app"))
    # ---------------------------------------------------------------- changes, alarms
    ecs_deploy(sc, -19000, cl, svc, svc, 58, "ml-rollout-bot")
    ecs_deploy(sc, -1900, cl, tr, tr, 23, "ml-rollout-bot")
    sc.alarm(f"{svc}-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 65, "GreaterThanThreshold", "session-reco memory")
    sc.alarm(f"{tr}-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": tr},
             "Average", 60, 3, 75, "GreaterThanThreshold")
    sc.expect_root(f"{svc}-memory-high", "memory_exhaustion", [f"{cl}/{svc}", svc],
                   [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": cl, "ServiceName": svc}}])
    sc.meta.update(
        origin_type="ecs", front="origin",
        decoys="trending-api deploy with its own brief CPU alarm, the latest change in the account; "
               "session-reco's own deploy 5 h earlier; steady feature-store gRPC timeout ERRORs",
        story="From -70 min the session embedding cache in session-reco stops evicting (its periodic line "
              "goes from ~21k entries with hundreds evicted per minute to a steadily growing count with "
              "`evicted_last_min=0`). Each task's memory climbs from 52 % towards its 4 GiB limit; gunicorn "
              "starts reporting `Worker ... was sent SIGKILL! Perhaps out of memory?` and ECS task-state "
              "events show tasks stopped with `OutOfMemoryError: Container killed due to memory usage` "
              "(exit 137), replaced and leaking again. The service memory alarm fires. The trending-api "
              "deploy is another service; session-reco's last deploy was 5 h ago with hours of flat memory "
              "after it.",
        judgement="No change precedes the leak on this service, so memory_exhaustion rather than "
                  "bad_deployment.")
    return sc


def s08() -> S77:
    sc = S77(8, "feature-writer-errors",
             "feature-writer Errors alarm; nightly user-item scores stop updating in the feature store.",
             "ca-central-1", 7708, "2026-03-16T11:15:00+00:00")
    fn, db, ex = "feature-writer", "fs-mysql-ca", "score-export"
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512, event_source="sqs:item-scores")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1365, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("lambda", ex, runtime="nodejs20.x", timeout=120, memory_size=512)
    full = -1900
    free = lambda t: max(0.04, 40.0 - 40.0 * (t + 21600) / (full + 21600))  # noqa: E731
    bad = lambda t: ramp(t, full - 60, full + 60)  # noqa: E731
    inv = lambda t: 30 * diurnal(sc, t, 9.0, 0.2) * (1 + 0.3 * bad(t))  # noqa: E731
    iv, ev = lam_metrics(sc, fn, inv, lambda t: 0.0, lambda t: 340 - 250 * bad(t), err_frac=lambda t: 0.9 * bad(t) + 0.004)
    xv, xe = lam_metrics(sc, ex, lambda t: 2, lambda t: 0.0, lambda t: 4200)
    rds_metrics(sc, db, lambda t: 24 - 8 * bad(t), lambda t: 48, free, write_lat=lambda t: 0.004 + 0.02 * bad(t))
    ll = lam(sc, fn, "python3.11", 512, 60, retire=(-15000,), mem_used=(131, 5))

    def body(ll, t, rid, err, cold):
        n = sc.rng.randint(200, 500)
        lines = [(0.005, ll.fmt(t, rid, "INFO", f"writing {n} user_item_scores rows model=two-tower@v12"))]
        if sc.rng.random() < 0.07:
            lines.append((0.1, ll.fmt(t, rid, "WARNING", "OperationalError (1213, 'Deadlock found when trying to get "
                                      "lock; try restarting transaction') - retry 1/3")))
        if err:
            if sc.rng.random() < 0.8:
                e = "OperationalError: (1114, \"The table 'user_item_scores' is full\")"
            else:
                e = ("OperationalError: (3, \"Error writing file '/rdsdbdata/tmp/MLfd=312' (OS errno 28 - No space "
                     "left on device)\")")
            return {"dur": sc.rng.gauss(85, 15), "lines": lines + [(0.08, ll.fmt(
                t, rid, "ERROR", f"[ERROR] {e}\nTraceback (most recent call last):\n  File \"/var/task/writer.py\", "
                "line 52, in handler\n    cur.executemany(UPSERT_SQL, rows)\n  File \"/var/task/pymysql/cursors.py\", "
                f"line 182, in executemany\npymysql.err.{e}"))]}
        return {"dur": sc.rng.gauss(340, 50), "lines": lines + [(0.33, ll.fmt(t, rid, "INFO", f"committed {n} rows"))]}
    run_lambda(ll, iv, ev, body, ratio=0.13)
    xl = lam(sc, ex, "nodejs20.x", 512, 120, retire=(-1960,), mem_used=(140, 8))
    run_lambda(xl, xv, xe, lambda ll, t, rid, err, cold: {"dur": sc.rng.gauss(4200, 300), "lines": [(
        0.01, ll.fmt(t, rid, "INFO", f"exported {sc.rng.randint(1000, 5000)} scores to s3://reco-exports-cac1/"))]})
    eg, es = f"/aws/rds/instance/{db}/error", db
    sc.emit(eg, es, LOG_START, 0, 0.25, lambda t: mysql(
        sc, t, sc.rng.randint(10000, 99999), "Note", "MY-010914", f"Aborted connection {sc.rng.randint(10 ** 5, 10 ** 6)} "
        "to db: 'features' user: 'writer' host: '10.70.2.31' (Got an error reading communication packets)."))
    sc.emit(eg, es, full - 120, 0, lambda t: 3 * bad(t), lambda t: sc.pick([
        mysql(sc, t, 0, "ERROR", "MY-012144", "posix_fallocate(): Failed to preallocate data for file "
              "./features/user_item_scores.ibd, desired size 4194304 bytes. Operating system error number 28. Check "
              "that the disk is not full or a disk quota exceeded.", "InnoDB"),
        mysql(sc, t, 17, "ERROR", "MY-000035", f"Disk is full writing './mysql-bin-changelog.00{sc.rng.randint(4200, 4230)}' "
              "(OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs."),
        mysql(sc, t, sc.rng.randint(10000, 99999), "Warning", "MY-012639", "Retry attempts for writing partial data "
              "failed.", "InnoDB")]))
    lambda_config(sc, -15000, fn, "terraform-ci")
    lambda_deploy(sc, -1960, ex, "github-actions-reco")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "feature-writer failures")
    sc.alarm(f"{db}-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum",
             300, 1, 8e9, "LessThanThreshold")
    sc.expect_root(f"{fn}-errors", "storage_exhaustion", [db],
                   [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta.update(
        origin_type="rds", front="front (calling function → RDS)",
        decoys="score-export deploy 60 s before onset; feature-writer's own configuration update 4.2 h "
               "earlier; steady deadlock-retry WARNINGs and aborted-connection notes",
        story="fs-mysql-ca has no storage autoscaling and FreeStorageSpace has been falling in a straight "
              "line (~7 GB/h) all morning; its low-storage alarm went off more than an hour ago. At -32 min "
              "it reaches zero: the engine log shows `posix_fallocate() ... error number 28` and `Disk is "
              "full writing './mysql-bin-changelog...' (OS errno 28 - No space left on device)`, and "
              "feature-writer's upserts fail with `(1114, \"The table 'user_item_scores' is full\")` or "
              "errno 28 on temp files, so its Errors alarm fires while SQS retries raise invocations. The "
              "score-export deploy a minute earlier is an unrelated function with clean logs.",
        judgement="The alarm is on the writer, but the fault is the database's full storage.")
    return sc


BUILDERS = [s07, s08]
