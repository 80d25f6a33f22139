"""h87-15 (Go transmitter on ECS: the external state clearing house stops answering) and h87-16
(.NET receipt archiver failing: its MySQL instance ran out of allocated storage)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, mysql, zap

from . import kit
from .kit import LAST3H, emit, every


def build_15():
    sc = kit.make(15, "state-transmit-failures",
                  "State returns piling up untransmitted; SubmissionFailures alarm on the state transmitter.",
                  "us-east-2", "2027-04-14T15:50:00+00:00")
    rng = sc.rng
    cl, svc, other = "efile-batch", "state-transmitter", "ack-dispatch"
    onset = -2280
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
                log_group=f"/ecs/{svc}", endpoint="https://a2a.statetax-clearing.example.org/mef/v1")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("rds", "efile-queue-db", engine="postgres", instance_class="db.r6g.large", max_connections=1700,
                allocated_storage_gb=400)

    sent = lambda t: 160 * diurnal(sc, t, 15.0, 0.25)
    bad = lambda t: ramp(t, onset, onset + 90) * (0.9 + 0.05 * ((t // 300) % 2))
    dims = {"Service": svc, "Environment": "prod"}
    kit.put(sc, "Efile/Transmit", "SubmissionsSent", dims, "Count", lambda t: sent(t) * (1 - bad(t)), integer=True)
    kit.put(sc, "Efile/Transmit", "SubmissionFailures", dims, "Count", lambda t: 1.2 + sent(t) * bad(t), integer=True)
    kit.put(sc, "Efile/Transmit", "QueueDepth", dims, "Count",
            lambda t: 40 + 160 * 0.9 * max(0.0, t - onset) / 60 * 0.6, noise=0.02, digits=0)
    kit.ecs_metrics(sc, cl, svc, lambda t: 22 * diurnal(sc, t, 15.0, 0.2) * (1 - 0.6 * bad(t)), lambda t: 36.0 + 5 * bad(t),
                    lambda t: 3.0)
    kit.ecs_metrics(sc, cl, other, lambda t: 15 + bump(t, -2520, -2100, 45.0, 120), lambda t: 41.0, lambda t: 2.0)
    kit.rds_metrics(sc, "efile-queue-db", lambda t: 19 + 4 * bad(t), lambda t: 85.0, lambda t: 260.0)

    sc.alarm("state-transmitter-failures", "Efile/Transmit", "SubmissionFailures", dims, "Sum", 300, 1, 50,
             "GreaterThanThreshold", "State MeF transmissions failing")
    sc.alarm("state-transmitter-queue-depth", "Efile/Transmit", "QueueDepth", dims, "Maximum", 300, 2, 1500,
             "GreaterThanThreshold")
    sc.alarm("ack-dispatch-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other},
             "Average", 60, 3, 50, "GreaterThanThreshold")

    sc.change(-18800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "svc-efile-pipeline")
    sc.change(-2560, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:31",
              "chg-CHG0042402-ahassan")
    sc.change(-2540, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
              "chg-CHG0042402-ahassan")
    sc.change(-2380, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "efile-queue-pg15",
              "chg-CHG0042405-dcho")

    group = f"/ecs/{svc}"
    url = "https://a2a.statetax-clearing.example.org/mef/v1/submissions"
    for n in range(3):
        stream = f"transmitter/{svc}/{kit.task_id(sc)}"

        def line(t):
            sub = f"{rng.randint(10**12, 10**13 - 1)}{sc.at(t).strftime('%Y')}"
            st = rng.choice(["NY", "CA", "NJ", "IL", "PA"])
            if rng.random() < bad(t):
                err = rng.choice([
                    f'Post "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                    f'Post "{url}": dial tcp 198.51.100.23:443: i/o timeout',
                    f'Post "{url}": dial tcp 198.51.100.24:443: i/o timeout',
                    "clearing house returned 503 Service Unavailable: upstream connect error or disconnect/reset before headers"])
                return zap(sc, t, "error", "transmit failed", "transmit/client.go:142", submission_id=sub, state=st,
                           attempt=rng.randint(1, 5), error=err, elapsed_ms=rng.choice([30000, 30001, 10002, 212]))
            if rng.random() < 0.03:
                return zap(sc, t, "warn", "clearing house rejected duplicate", "transmit/client.go:171",
                           submission_id=sub, state=st, status=409)
            return zap(sc, t, "info", "transmitted", "transmit/client.go:160", submission_id=sub, state=st,
                       status=202, elapsed_ms=int(rng.lognormvariate(6.0, 0.3)))

        emit(sc, group, stream, LAST3H, 0, lambda t: 3, line)
        every(sc, group, stream, LAST3H, 0, 300,
              lambda t: zap(sc, t, "info", "queue poll", "transmit/queue.go:58",
                            pending=int(40 + 144 * max(0.0, t - onset) / 60 * 0.6), db="efile-queue-db"))
    every(sc, f"/ecs/{other}", f"dispatch/{other}/{kit.task_id(sc)}", LAST3H, 0, 60,
          lambda t: jline({"level": "info", "ts": sc.iso(t), "msg": "dispatch tick",
                           "pending": rng.randint(0, 40) + int(600 * bump(t, -2520, -2100, 1.0, 120))}))

    sc.expect["alarm"] = "state-transmitter-failures"
    kit.meta(sc, "dependency_failure", [f"{cl}/{svc}", svc], "origin (ECS caller of an external dependency)",
             "ack-dispatch task-definition/UpdateService (with a CPU alarm) and a parameter-group change on the queue database shortly before onset; 409 duplicate rejections all along",
             "The transmitter's SubmissionFailures alarm (a custom metric). From -38 min about 90 % of POSTs to "
             "the state clearing house fail with `context deadline exceeded (Client.Timeout exceeded while "
             "awaiting headers)`, `dial tcp 198.51.100.23:443: i/o timeout` or a 503 from its edge; "
             "the queue backs up. The transmitter's CPU falls (it waits), its memory is flat, it has not "
             "been deployed for five hours, and the queue database it polls is healthy despite its "
             "parameter change. The ack-dispatch change is a different service.",
             judgement="The failing dependency is outside the account, so no resource in it is the true origin. "
                       "The label names the in-account service whose calls to it fail, with category "
                       "dependency_failure; a reader preferring `unknown` would be contradicting explicit timeout "
                       "errors from a downstream HTTP API.",
             services="ECS (Go, zap JSON), custom CloudWatch metrics, RDS")
    return sc


def build_16():
    sc = kit.make(16, "receipt-archiver-errors",
                  "Filing receipts not being archived; receipt-archiver Errors alarm.", "us-west-1",
                  "2027-04-16T03:20:00+00:00")
    rng = sc.rng
    db, fn, other = "filing-archive-db", "receipt-archiver", "receipt-pdf"
    full = -2050
    alloc = 1000
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=alloc, storage_autoscaling=False)
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=512)
    sc.resource("lambda", other, runtime="dotnet8", timeout=60, memory_size=1024)

    free = lambda t: max(0.0, 41.0 * (full - t) / (full + 21600)) if t < full else 0.0
    load = lambda t: 210 * diurnal(sc, t, 2.0, 0.3)
    failing = lambda t: ramp(t, full - 60, full + 60)
    err = lambda t: 0.2 + load(t) * 0.97 * failing(t)
    kit.rds_metrics(sc, db, lambda t: 31 + 6 * failing(t), lambda t: 140 + 60 * failing(t), lambda t: free(t) + 0.05,
                    wlat=lambda t: 0.0024 + 0.2 * failing(t))
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 140 + 60 * failing(t), err=err)
    kit.lambda_metrics(sc, other, lambda t: 40.0, lambda t: 3100.0)

    sc.alarm("receipt-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15,
             "GreaterThanThreshold")
    sc.alarm("filing-archive-db-write-latency", "AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}, "Average",
             60, 5, 0.05, "GreaterThanThreshold")
    sc.alarm("receipt-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 3,
             "GreaterThanThreshold")

    sc.change(-20000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup-efile")
    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "svc-receipts-pipeline")
    sc.change(-2205, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
              "svc-receipts-pipeline")

    ll = LambdaLogs(sc, fn, "dotnet8", 512, 30, mem_used=(120, 8))
    table_full = "MySqlConnector.MySqlException (0x80004005): The table 'submission_receipts' is full"
    no_space = ("MySqlConnector.MySqlException (0x80004005): Error writing file '/rdsdbdata/tmp/MYfd=87' "
                "(OS errno 28 - No space left on device)")

    def body(l, t, rid, is_err, cold):
        sub = f"{rng.randint(10**12, 10**13 - 1)}2027"
        if is_err and t < full - 60:
            return {"dur": rng.uniform(30, 60), "lines": [
                (0.01, l.fmt(t, rid, "ERROR", f"Receipts.Archiver[0] Receipt payload for {sub} missing AckTimestamp; "
                                              "rejected\n   at Receipts.Archiver.Validate(Receipt r) in /src/Archiver.cs:line 57"))]}
        if is_err:
            msg = rng.choice([table_full, table_full, no_space])
            return {"dur": rng.uniform(40, 200), "lines": [
                (0.005, l.fmt(t, rid, "INFO", f"Receipts.Archiver[0] Archiving receipt {sub}")),
                (0.04, l.fmt(t + 0.04, rid, "ERROR", f"{msg}\n   at MySqlConnector.Core.ServerSession.ReceiveReplyAsync"
                                                      "Awaited(ValueTask`1 task) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894\n"
                                                      "   at Receipts.Store.InsertAsync(Receipt r) in /src/Store.cs:line 41\n"
                                                      "   at Receipts.Function.Handler(SQSEvent evnt, ILambdaContext ctx) in /src/Function.cs:line 28"))]}
        lines = [(0.005, l.fmt(t, rid, "INFO", f"Receipts.Archiver[0] Archiving receipt {sub}"))]
        if rng.random() < 0.1:
            lines.append((0.02, l.fmt(t + 0.02, rid, "WARN", f"Receipts.Mailer[3] Receipt email bounced for {sub}: 550 5.1.1 mailbox unavailable")))
        lines.append((0.12, l.fmt(t + 0.12, rid, "INFO", f"Receipts.Archiver[0] Archived {sub} ({rng.randint(6, 40)} KB)")))
        return {"dur": rng.uniform(90, 200), "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 4)
    ll.run(si, se, body)
    elog = f"/aws/rds/instance/{db}/error"
    emit(sc, elog, db, LAST3H, 0, lambda t: 0.5,
         lambda t: mysql(sc, t, rng.randint(300000, 400000), "Note", "MY-010914",
                         f"Aborted connection {rng.randint(300000, 400000)} to db: 'receipts' user: 'archiver' host: "
                         f"'10.50.{rng.randint(1, 3)}.{rng.randint(10, 250)}' (Got an error reading communication packets)."))
    every(sc, elog, db, full - 50, 0, 60,
          lambda t: [mysql(sc, t, 0, "ERROR", "MY-012144", "posix_fallocate(): Failed to preallocate data for file "
                                                          "./receipts/submission_receipts.ibd, desired size 4194304 bytes. Operating system "
                                                          "error number 28. Check that the disk is not full or a disk quota exceeded. Make sure "
                                                          "the file system supports this function. Refer to your operating system documentation "
                                                          "for operating system error code information.", subsystem="InnoDB"),
                     mysql(sc, t + 0.2, 0, "ERROR", "MY-000035", f"Disk is full writing './mysql-bin-changelog.0{rng.randint(41000, 41999)}' "
                                                                "(OS errno 28 - No space left on device). Waiting for someone to free space... "
                                                                "Retry in 60 secs. Write of 8192 bytes failed with 0 bytes written, errno 28")])
    every(sc, f"/aws/lambda/{other}", "2027/04/16/[$LATEST]" + sc.hexid(32), LAST3H, 0, 90,
          lambda t: f"{sc.iso(t)}\t{sc.uuid()}\tinfo\tReceipts.Pdf[0] rendered {rng.randint(1, 9)} receipt PDFs")

    sc.expect["alarm"] = "receipt-archiver-errors"
    kit.meta(sc, "storage_exhaustion", [db], "front (calling Lambda)",
             "receipt-pdf code deploy 3 min before onset; AckTimestamp validation errors and bounced-email WARNs at a steady low rate; a write-latency alarm on the database",
             "receipt-archiver's Errors alarm. filing-archive-db's FreeStorageSpace has fallen steadily "
             "all night (41 GB six hours ago, no autoscaling) and reaches zero at -34 min; from then "
             "almost every insert fails with `The table 'submission_receipts' is full` or `Error writing "
             "file ... (OS errno 28 - No space left on device)`, and the MySQL error log repeats "
             "`posix_fallocate() ... error number 28` and `Disk is full writing './mysql-bin-changelog...'`. "
             "The receipt-pdf deploy touches a function that never errs; the AckTimestamp rejections predate "
             "the incident.",
             services="RDS MySQL, Lambda (.NET 8)")
    return sc


BUILDERS = [build_15, build_16]
