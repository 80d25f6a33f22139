"""h94-09 (chat archive MySQL out of storage) and h94-10 (photo intake at its reserved concurrency)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import logfmt_writer, mysql
from .kit import (GRID, LOG_START, LambdaLogs, M, after, apigw_set, emit, every, evening, expect,
                  lam_run, lambda_set, new, rds_set)

slog = logfmt_writer(time_key="time")


def build_09():
    sc = new(9, "archive-backlog", "Chat history archiving failing, messages piling up in the queue; "
             "archiver Errors alarm.", "ap-southeast-1", shift_min=10)
    rng = sc.rng
    fn, db = "msg-archive", "chatlog-mysql"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=60, memory_size=256, architecture="arm64",
                event_source="sqs:chat-archive-queue")
    sc.resource("lambda", "read-receipts", runtime="provided.al2023", timeout=10, memory_size=128)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=1365, allocated_storage_gb=400, max_allocated_storage_gb=None,
                binlog_retention_hours=168)
    full = -2050
    ev = lambda t: evening(sc, t)  # noqa: E731
    bad = lambda t: after(t, full, 60)  # noqa: E731
    inv = lambda t: 140 * ev(t)  # noqa: E731
    m = lambda_set(sc, fn, inv, lambda t: 0.15 + 0.93 * inv(t) * bad(t), lambda t: 380 + 900 * bad(t))
    lambda_set(sc, "read-receipts", lambda t: 900 * ev(t), lambda t: 0.1, lambda t: 11.0)
    free = lambda t: max(0.14, 22.0 - 21.85 * (t + 21600) / (full + 21600))  # noqa: E731
    rds_set(sc, db, lambda t: 24 * ev(t) + 28 * (after(t, -12100, 60) - after(t, -11500, 60)),
            lambda t: 85 * ev(t), free, wlat=lambda t: 0.0021 + 0.03 * bad(t), freemem_gb=5.1)
    M(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "chat-archive-queue"}, "Count",
      lambda t: 20 + 14000 * after(t, full, 2000), noise=0.05)
    sc.alarm("msg-archive-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Chat archive writer errors")
    sc.alarm("chatlog-mysql-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db},
             "Minimum", 300, 1, 5e9, "LessThanThreshold", "chatlog-mysql free storage below 5 GB")
    sc.alarm("read-receipts-errors", "AWS/Lambda", "Errors", {"FunctionName": "read-receipts"}, "Sum", 300, 1,
             20, "GreaterThanThreshold")
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 60, prewarm=LOG_START, mem_used=(46, 4))

    def body(ll, t, rid, is_err, cold):
        n = rng.randint(40, 250)
        lines = [(0.002, slog(sc, t + 0.002, "INFO", "batch received", records=n, queue="chat-archive-queue"))]
        if rng.random() < 0.05:
            lines.append((0.1, slog(sc, t + 0.1, "WARN", "skipping message with unknown schema",
                                    schema_version=rng.choice([0, 7]), conv=f"c_{sc.hexid(10)}")))
        if is_err and t >= full:
            dur = rng.uniform(900, 1500)
            err = rng.choice(["Error 1114 (HY000): The table 'messages_2026_03' is full",
                              "Error 1114 (HY000): The table 'messages_2026_03' is full",
                              "Error 1021 (HY000): Disk full (/rdsdbdata/tmp/#sql_2b3f_0.MAI); waiting for "
                              "someone to free some space... (errno: 28 \"No space left on device\")"])
            lines.append((dur / 1000, slog(sc, t + dur / 1000, "ERROR", "insert batch failed", records=n,
                                           table="messages_2026_03", err=err)))
            return {"dur": dur, "lines": lines}
        if is_err:
            dur = rng.uniform(5000, 5100)
            lines.append((dur / 1000, slog(sc, t + dur / 1000, "ERROR", "insert batch failed", records=n,
                                           err="Error 1213 (40001): Deadlock found when trying to get lock; "
                                               "try restarting transaction")))
            return {"dur": dur, "lines": lines}
        dur = max(60.0, rng.gauss(380, 90))
        lines.append((dur / 1000, slog(sc, t + dur / 1000, "INFO", "archived batch", records=n,
                                       ms=int(dur - 20))))
        return {"dur": dur, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.025, err_frac=0.03)
    rg, rs = f"/aws/rds/instance/{db}/error", db
    emit(sc, rg, rs, LOG_START, 0, 0.4, lambda t: mysql(
        sc, t, rng.randint(20000, 90000), "Warning", "MY-013360", "Plugin mysql_native_password reported: "
        "''mysql_native_password' is deprecated and will be removed in a future release. Please use "
        "caching_sha2_password instead'", "Server"))
    every(sc, rg, rs, full + 20, 60, lambda t: mysql(
        sc, t, 0, "ERROR", "MY-000035", "Disk is full writing '/rdsdbdata/log/binlog/mysql-bin-changelog.004817' "
        "(OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. "
        "Message reprinted in 600 secs.", "Server"))
    emit(sc, rg, rs, full, 0, lambda t: 1.5 * bad(t), lambda t: mysql(
        sc, t, 0, "ERROR", "MY-012639", f"Write to file ./chat/messages_2026_03.ibd failed at offset "
        f"{rng.randint(10 ** 10, 9 * 10 ** 10)}, 16384 bytes should have been written, only 0 were written. "
        "Operating system error number 28. Check that your OS and file system support files of this size. "
        "Check also that the disk is not full or a disk quota exceeded.", "InnoDB"))
    sc.change(-9500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "codepipeline-chat")
    sc.change(-2110, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "read-receipts", "codepipeline-chat")
    sc.change(-420, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "oncall-sre")
    expect(sc, "msg-archive-errors", "storage_exhaustion", [db],
           [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}),
            ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta.update(front="front (caller Lambda → RDS)", decoys=[
        "read-receipts deploy 60 s before the disk filled",
        "ModifyDBInstance on the database 7 min before now (the responder's storage increase)",
        "msg-archive deploy 2.6 h earlier; deadlock retries and unknown-schema warnings all afternoon",
        "low-storage alarm that has been in ALARM for 1 h 45 min"],
        judgement=("The ModifyDBInstance on chatlog-mysql comes 27 minutes after the failures began (the "
                   "on-call engineer adding storage) and cannot be the cause."),
        story=("chatlog-mysql's FreeStorageSpace fell steadily all afternoon (its low-storage alarm fired "
               "at ~-1 h 45 and was ignored) and hit ~0 at -34 min. Since then the MySQL error log repeats "
               "`Disk is full writing ... (OS errno 28 - No space left on device)` and InnoDB write "
               "failures, and the Go archiver's batches fail with `Error 1114 (HY000): The table "
               "'messages_2026_03' is full`, so its Errors alarm fires and the SQS backlog grows. Deadlock "
               "retries were there before; the read-receipts deploy and the responder's ModifyDBInstance "
               "are not causes."))
    return sc


def build_10():
    sc = new(10, "upload-rush-5xx", "Photo uploads failing with 5XX during the Sunday upload rush; "
             "upload-gw 5XX alarm.", "us-west-1", shift_min=-6)
    rng = sc.rng
    fn, api, apiid = "photo-intake", "upload-gw", "9wq2m4x7ke"
    sc.resource("apigateway", api, stage="v1", api_id=apiid)
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=2048, reserved_concurrency=30)
    sc.resource("lambda", "face-embed", runtime="python3.12", timeout=60, memory_size=3008, reserved_concurrency=200)
    ev = lambda t: evening(sc, t)  # noqa: E731
    dur = 2400.0
    cap = 30 * 60000 / dur  # invocations a minute the reserved concurrency can serve
    demand = lambda t: 560 * ev(t) + 160 * after(t, -3000, 900)  # noqa: E731
    thr = lambda t: max(0.0, demand(t) - cap)  # noqa: E731
    served = lambda t: min(demand(t), cap * 0.985)  # noqa: E731
    m = lambda_set(sc, fn, served, lambda t: 0.2, lambda t: dur * (1 + 0.03 * (thr(t) > 0)), thr=thr,
                   conc=lambda t: min(30.0, demand(t) * dur / 60000), conc_cap=30)
    lambda_set(sc, "face-embed", lambda t: 210 * ev(t), lambda t: 3.2, lambda t: 5200.0)
    apigw_set(sc, api, lambda t: demand(t) + 40 * ev(t), lambda t: 4 * ev(t), lambda t: 0.3 + thr(t) * 0.97,
              lambda t: dur * 0.98 * (demand(t) - thr(t)) / demand(t) + 30 * (thr(t) / demand(t)))
    sc.alarm("upload-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "upload-gw server errors")
    sc.alarm("face-embed-errors", "AWS/Lambda", "Errors", {"FunctionName": "face-embed"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "face-embed errors")
    onset = next(t for t in GRID if thr(t) > 0)
    sc.meta["onset"] = onset
    ll = LambdaLogs(sc, fn, "python3.12", 2048, 30, prewarm=LOG_START, mem_used=(720, 60), max_envs=30)

    def body(ll, t, rid, is_err, cold):
        key = f"uploads/{sc.hexid(12)}.{rng.choice(['heic', 'jpg', 'jpg', 'png'])}"
        d = max(600.0, rng.gauss(dur, 500))
        lines = [(0.005, ll.fmt(t + 0.005, rid, "INFO", f"intake {key} size={rng.randint(300, 9000)}KB"))]
        r = rng.random()
        if key.endswith("heic") and r < 0.3:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARNING", "libheif decode slow path, falling back to "
                                      "pillow-heif")))
        if r > 0.97:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", "upload rejected: file exceeds 20 MB limit")))
            return {"dur": rng.uniform(40, 80), "lines": lines}
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"stored {key} variants=4 "
                                       f"moderation_job=mj_{sc.hexid(10)}")))
        return {"dur": d, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.006, err_frac=0.1)
    g, s = f"API-Gateway-Execution-Logs_{apiid}/v1", sc.hexid(32)
    emit(sc, g, s, LOG_START, 0, 0.5, lambda t: f"({sc.uuid()}) Method completed with status: "
         f"{rng.choice([400, 413, 401])}")

    def throttled(t):
        rid = sc.uuid()
        return rng.choice([f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
                           f"({rid}) Execution failed due to configuration error: Rate Exceeded.",
                           f"({rid}) Method completed with status: 500"])
    emit(sc, g, s, onset, 0, lambda t: min(9.0, thr(t) * 0.08), throttled)
    sc.change(onset - 150, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "face-embed", "sam.okafor")
    sc.change(-12200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "github-actions-deployer")
    expect(sc, "upload-gw-5xx", "throttling", [fn],
           [("AWS/Lambda", "Throttles", {"FunctionName": fn}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    sc.meta.update(front="front (API Gateway → Lambda)", decoys=[
        "PutFunctionConcurrency on another function (face-embed) 2.5 min before onset",
        "face-embed Errors alarm already firing from long-standing errors",
        "upload-size rejections and HEIC slow-path warnings all afternoon"],
        judgement=("Demand is ~1.3× the hour before and follows the usual Sunday upload ramp (no "
                   "campaign, no other fault), so the fault is the 30-execution reserved concurrency, not a surge. face-embed's concurrency "
                   "change cannot starve photo-intake, whose concurrency is reserved."),
        story=("photo-intake (reserved concurrency 30, ~2.4 s per upload) reaches its limit as the Sunday "
               f"upload rush builds: from about -{-onset // 60} min ConcurrentExecutions sits flat at 30, Throttles "
               "climb to ~100/min and upload-gw's execution log shows `Lambda invocation failed with status: "
               "429` / `Rate Exceeded`, which API Gateway returns as 5XX. The function's own logs stay clean. "
               "The PutFunctionConcurrency 2.5 minutes before onset was on face-embed, whose Errors alarm has been "
               "firing on old errors."))
    return sc


BUILDERS = [build_09, build_10]
