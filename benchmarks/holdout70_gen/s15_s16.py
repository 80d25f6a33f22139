"""h70-15 (job-state database out of storage) and h70-16 (trick-play sprite builder out of memory)."""
from __future__ import annotations


from .common import GRID, Scenario, bump, ramp
from .kit import (jdump, LOG_FROM, at_rate, dmap, ecs_metrics, emit, lambda_config, lambda_deploy, lambda_metrics,
                  meta, pick, rds_metrics)
from .runtimes import LambdaLogs, pg


# =========================================================================== h70-15
def build_15() -> Scenario:
    sc = Scenario(15, "state-recorder-errors", "Encode jobs finish but never show as published; Errors "
                  "alarm on the job-state recorder.", "ap-south-1", 7015, "2026-03-22T07:40:00+00:00")
    fn, db = "transcode-state-recorder", "pipeline-state-db"
    cluster = "encode"
    sc.resource("lambda", fn, runtime="java21", timeout=30, memory_size=1024, trigger="EventBridge job events")
    sc.resource("lambda", "qc-report-builder", runtime="java21", timeout=120, memory_size=2048)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=100, storage_autoscaling=False)
    sc.resource("ecs", f"{cluster}/reencode-workers", launch_type="EC2", desired_count=12)
    batch0, full = -18600, -2400
    run = lambda t: ramp(t, batch0, batch0 + 600)
    inv = sc.series(lambda t: 5 + 11 * run(t), integer=True)
    fullf = lambda t: ramp(t, full - 60, full)
    err = [float(min(i, round(i * 0.7 * fullf(t)) + (1 if sc.rng.random() < 0.25 else 0))) for t, i in zip(GRID, inv)]
    lambda_metrics(sc, fn, inv, err, sc.series(lambda t: 95 - 40 * fullf(t), noise=0.1))
    qinv = sc.series(lambda t: 1.5, integer=True)
    lambda_metrics(sc, "qc-report-builder", qinv, sc.series(lambda t: 0.0, noise=0.0), sc.series(lambda t: 38000, noise=0.1))

    def free(t):  # GiB free: slow daily growth, then event-table bloat once the re-encode batch runs
        if t < batch0:
            return 14.2 - 0.02 * (t + 21600) / 3600
        x = min(1.0, (t - batch0) / (full - batch0))
        return max(0.11, (14.14 - 14.03 * x ** 1.15))
    rds_metrics(sc, db, sc.series(lambda t: 16 + 22 * run(t) - 15 * fullf(t), noise=0.06),
                sc.series(lambda t: 36 + 10 * run(t), noise=0.04, digits=0),
                sc.series(free, noise=0.002, digits=3),
                write_lat=sc.series(lambda t: 0.0018 + 0.0006 * run(t), noise=0.1, digits=5),
                free_mem_gb=sc.series(lambda t: 3.1, noise=0.01))
    ecs_metrics(sc, cluster, "reencode-workers", sc.series(lambda t: 4 + 84 * run(t), noise=0.04),
                sc.series(lambda t: 20 + 45 * run(t), noise=0.02))

    ll = LambdaLogs(sc, fn, "java21", 1024, 30, mem_used=(310, 15))

    def body(ll_, t, rid, is_err, cold):
        j = f"job-{sc.hexid(10)}"
        stt = pick(sc, ["PROGRESSING", "PROGRESSING", "PROGRESSING", "COMPLETE", "INPUT_INFORMATION"])
        lines = [(0.003, ll_.fmt(t, rid, "INFO", f"c.m.p.StateRecorder - event job={j} status={stt}"))]
        if is_err and t >= full - 60:
            e = {"errorMessage": (f"ERROR: could not extend file \"base/16400/2619152.37\": No space left on device\n"
                                  "  Hint: Check free disk space."),
                 "errorType": "org.postgresql.util.PSQLException",
                 "stackTrace": ["org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                                "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
                                "com.media.pipeline.JobEventDao.insert(JobEventDao.java:58)",
                                "com.media.pipeline.StateRecorder.handleRequest(StateRecorder.java:41)"]}
            return {"dur": sc.rng.uniform(30, 80), "lines": lines + [(0.03, jdump(e))]}
        if is_err:
            e = {"errorMessage": "ERROR: duplicate key value violates unique constraint \"job_events_pkey\"\n  Detail: Key "
                                 f"(job_id, seq)=({j}, {sc.rng.randint(2, 400)}) already exists.",
                 "errorType": "org.postgresql.util.PSQLException",
                 "stackTrace": ["com.media.pipeline.JobEventDao.insert(JobEventDao.java:58)"]}
            return {"dur": sc.rng.uniform(30, 80), "lines": lines + [(0.03, jdump(e))]}
        return {"dur": sc.rng.gauss(95, 20), "lines": lines + [
            (0.08, ll_.fmt(t + 0.08, rid, "INFO", f"c.m.p.JobEventDao - inserted {sc.rng.randint(1, 40)} progress rows for {j}"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(err).items() if k >= LOG_FROM}, body)
    pl, ps = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.2, lambda t: pg(
        sc, t, "LOG", f"automatic vacuum of table \"pipeline.public.job_events\": index scans: 1 pages: 0 removed, "
        f"{sc.rng.randint(900000, 2400000)} remain", user="", db=""))
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.25, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint \"job_events_pkey\"", client=sc.ip("10.44"),
        user="pipeline_rw", db="pipeline"))
    emit(sc, pl, ps, full - 40, 0, lambda t: at_rate(err, t) * 0.4, lambda t: pg(
        sc, t, "ERROR", "could not extend file \"base/16400/2619152.37\": No space left on device\nHINT:  Check free disk space.",
        client=sc.ip("10.44"), user="pipeline_rw", db="pipeline"))
    emit(sc, pl, ps, full, 0, lambda t: 0.3, lambda t: pg(
        sc, t, "LOG", "could not write temporary statistics file \"pg_stat_tmp/global.tmp\": No space left on device"))
    wl = "/ecs/reencode-workers"
    for k in range(3):
        st = f"worker/reencode-workers/{sc.hexid(32)}"
        emit(sc, wl, st, max(LOG_FROM, batch0), 0, lambda t: 2.0, lambda t: (
            f"{sc.iso(t)} {'WARN ' if sc.rng.random() < 0.2 else 'INFO '} "
            + ("ladder: rung 2160p skipped (source 1920x1080)" if sc.rng.random() < 0.2 else
               f"progress job=job-{sc.hexid(10)} pct={sc.rng.randint(1, 99)} fps={sc.rng.uniform(60, 240):.0f}")))
    sc.change(batch0 - 20, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/reencode-workers",
              "eventbridge-scheduler-reencode")
    lambda_deploy(sc, -2465, "qc-report-builder", "jenkins-media")
    sc.alarm("transcode-state-recorder-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Job state recording failing")
    sc.alarm("reencode-workers-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": "reencode-workers"},
             "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "transcode-state-recorder-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]}
    meta(sc, "front (the writing Lambda); origin is the RDS instance",
         "code deploy of another function 65 s before the onset; re-encode batch CPU alarm; duplicate-key errors at a "
         "constant rate; ladder warnings",
         "`transcode-state-recorder` errors jump at about -2400: `PSQLException: could not extend file ... No space left "
         "on device`. `pipeline-state-db` (100 GiB allocated, no storage autoscaling) has `FreeStorageSpace` falling "
         "from about 14 GiB since the scheduled re-encode batch started five hours ago (progress rows into "
         "`job_events`) to about 0.1 GiB at the onset; its log shows the same `could not extend file` errors and "
         "`could not write temporary statistics file`. CPU, connections and memory are normal. The `qc-report-builder` "
         "deploy at -2465 is nearer the onset but unrelated. The duplicate-key errors (retried events) appear at the "
         "same rate in both the function and the database log for hours, and the re-encode CPU alarm is the batch "
         "doing its job. Verdict: storage exhaustion on the database.")
    return sc


# =========================================================================== h70-16
def build_16() -> Scenario:
    sc = Scenario(16, "trickplay-errors", "Scrubbing previews missing on new titles; Errors alarm on the "
                  "trick-play sprite builder.", "sa-east-1", 7016, "2026-03-23T02:10:00+00:00")
    fn, other = "trickplay-sprite-builder", "trickplay-manifest"
    sc.resource("lambda", fn, runtime="java21", timeout=300, memory_size=3008, trigger="S3 ObjectCreated on vod-renditions-sae1")
    sc.resource("lambda", other, runtime="java21", timeout=30, memory_size=512)
    sc.resource("ecs", "vod/reencode-batch", launch_type="FARGATE", desired_count=6)
    onset = -2580
    batch0, batch1 = -15000, -13200
    inv = sc.series(lambda t: 3.2 * (1 + bump(t, batch0, batch1, 1.5, 200)), integer=True)
    bigshare = lambda t: 0.6 * ramp(t, onset - 60, onset)
    err = [float(min(i, round(i * bigshare(t)) + (1 if sc.rng.random() < 0.03 else 0))) for t, i in zip(GRID, inv)]
    lambda_metrics(sc, fn, inv, err, sc.series(lambda t: 62000 + 30000 * bigshare(t), noise=0.12))
    oinv = sc.series(lambda t: 9, integer=True)
    lambda_metrics(sc, other, oinv, sc.series(lambda t: 0.02, integer=True), sc.series(lambda t: 240, noise=0.1))
    ecs_metrics(sc, "vod", "reencode-batch", sc.series(lambda t: 8 + 80 * bump(t, batch0, batch1, 1, 300), noise=0.05),
                sc.series(lambda t: 30 + 30 * bump(t, batch0, batch1, 1, 300), noise=0.02))

    ll = LambdaLogs(sc, fn, "java21", 3008, 300, mem_used=(1750, 260))
    src_norm = ["1920x1080 25fps 00:42:10", "1920x1080 30fps 01:51:02", "3840x2160 24fps 00:24:48", "1280x720 25fps 00:22:15"]

    def body(ll_, t, rid, is_err, cold):
        big = is_err and t >= onset - 60
        src = (f"3840x2160 60fps HDR10 {sc.rng.randint(2, 3):02d}:{sc.rng.randint(0, 59):02d}:{sc.rng.randint(0, 59):02d}"
               if big else pick(sc, src_norm))
        key = f"{'premiere-tapete-vermelho' if big else 'catalog'}/{sc.hexid(8)}/1080p.mp4"
        lines = [(0.01, ll_.fmt(t, rid, "INFO", f"c.m.t.SpriteBuilder - building sprites for s3://vod-renditions-sae1/{key} source={src} interval=2s tile=10x10"))]
        if sc.rng.random() < 0.15:
            lines.append((0.2, ll_.fmt(t + 0.2, rid, "WARN", "c.m.t.Ladder - rung 2160p missing; sprites from 1080p rendition")))
        if big:
            d = sc.rng.uniform(38000, 95000)
            if sc.rng.random() < 0.65:
                e = {"errorMessage": "Java heap space", "errorType": "java.lang.OutOfMemoryError",
                     "stackTrace": ["java.base/java.awt.image.DataBufferInt.<init>(DataBufferInt.java:75)",
                                    "java.desktop/java.awt.image.BufferedImage.<init>(BufferedImage.java:340)",
                                    "com.media.trickplay.SpriteSheet.compose(SpriteSheet.java:88)",
                                    "com.media.trickplay.SpriteBuilder.handleRequest(SpriteBuilder.java:51)"]}
                return {"dur": d, "mem": 3008, "lines": lines + [
                    (d / 1000 - 2, ll_.fmt(t + d / 1000 - 2, rid, "WARN", f"c.m.t.SpriteSheet - heap used {sc.rng.randint(2650, 2720)}MB of 2712MB; composing sheet {sc.rng.randint(30, 90)}")),
                    (d / 1000 - 0.01, jdump(e))]}
            return {"dur": d, "mem": 3008, "status": "error", "error_type": "Runtime.ExitError", "lines": lines + [
                (d / 1000 - 0.02, f"{sc.iso(t + d / 1000)} {rid} Error: Runtime exited with error: signal: killed")]}
        if is_err:
            e = {"errorMessage": "Unsupported Image Type", "errorType": "javax.imageio.IIOException",
                 "stackTrace": ["java.desktop/com.sun.imageio.plugins.jpeg.JPEGImageReader.readInternal(JPEGImageReader.java:1147)",
                                "com.media.trickplay.PosterFrame.load(PosterFrame.java:22)"]}
            return {"dur": sc.rng.uniform(900, 2500), "lines": lines + [(0.8, jdump(e))]}
        d = max(8000, sc.rng.gauss(62000, 15000))
        return {"dur": d, "lines": lines + [(d / 1000 - 0.05, ll_.fmt(t + d / 1000, rid, "INFO",
                f"c.m.t.SpriteBuilder - wrote {sc.rng.randint(12, 70)} sprite sheets + thumbnails.vtt"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(err).items() if k >= LOG_FROM}, body)
    lambda_config(sc, -2600, other, "bruno.alves")
    sc.change(batch0 - 30, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "vod/reencode-batch",
              "eventbridge-scheduler-reencode")
    sc.alarm("trickplay-sprite-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "Trick-play sprite generation failing")
    sc.alarm("trickplay-sprite-builder-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 1, 240000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "trickplay-sprite-builder-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, "origin (the function)",
         "configuration change on the sibling function 20 s before the onset; pre-existing IIOException errors; "
         "scheduled re-encode batch 3.5 h ago; ladder warnings",
         "`trickplay-sprite-builder` starts failing at about -2580, when the red-carpet premiere renditions (3840x2160 "
         "60fps HDR, two to three hours long) arrive. Each failure either logs `java.lang.OutOfMemoryError: Java heap "
         "space` in `SpriteSheet.compose` after a `heap used ... of 2712MB` warning, or is killed outright "
         "(`Runtime exited with error: signal: killed`, `Runtime.ExitError`); every such REPORT shows `Max Memory Used: "
         "3008 MB` = the memory size, while normal invocations use about 1.7 GB. No change touched the function. "
         "The `trickplay-manifest` configuration change at -2600 is the nearest change, but it is another function "
         "that keeps working. The `IIOException: Unsupported Image Type` errors for CMYK poster frames are occasional "
         "all night, and the invocation bump 3.5 hours ago was the scheduled re-encode. Verdict: memory "
         "exhaustion in the function.")
    return sc


BUILDERS = [build_15, build_16]
