"""h56-03, h56-04: a scheduled Go Lambda and a .NET ECS queue consumer."""
import datetime as dt

from . import logfmt as lf
from .core import Scenario
from .infra import queue_metrics, sqs_consume
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s03_archiver_access_denied():
    sc = Scenario(name="h56-03-nightly-archiver-denied", region="us-west-2", seed=5603, tz_hours=-7,
                  now_utc=dt.datetime(2026, 4, 22, 9, 35), history=90000,
                  description="Errors alarm on the nightly ledger archiver (02:00 PDT run).")
    rng = sc.rng
    fn = LambdaFn(sc, "nightly-s3-archiver", "provided.al2023", 1024, 900)
    fn.log_from = -90000
    sc.resource("lambda", fn.name, runtime="provided.al2023", architecture="arm64", timeout=900,
                memory_size=1024, role="nightly-s3-archiver-role",
                schedule="cron(0 9 * * ? *)", retry_attempts=2)
    api = LambdaFn(sc, "ledger-api-handler", "provided.al2023", 512, 15)
    sc.resource("lambda", api.name, runtime="provided.al2023", timeout=15, memory_size=512)
    sc.resource("apigateway", "ledger-api", stage="v1", rest_api_id="9wq3zt6kd1")
    sc.resource("rds", "ledger-replica", engine="postgres", engine_version="16.2",
                instance_class="db.r6g.large", max_connections=1700, allocated_storage_gb=500,
                read_replica_of="ledger-primary")

    sc.change(-16480, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "nightly-s3-archiver-role",
              "AWSReservedSSO_PlatformAdmin_5c1f2e/maria.chen")
    sc.change(-2610, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              api.name, "github-actions-ledger")
    api.resets = [-2610]

    bucket = "acme-ledger-archive"
    role_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/nightly-s3-archiver-role/{fn.name}"

    def run(start, date, denied, attempt=1):
        lines = [(0.004, "INFO", {"msg": "starting archive run", "date": date, "partitions": 48,
                                  "attempt": attempt, "source": "ledger-replica"})]
        off = 0.3
        if denied:
            rows = rng.randint(410000, 520000)
            off += rows / 90000.0
            lines.append((off, "INFO", {"msg": "exported partition", "partition": 0, "rows": rows,
                                        "bytes": rows * 61}))
            key = f"archive/dt={date}/part-0000.parquet"
            err = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: "
                   f"{sc.hexid(16).upper()}, HostID: {sc.hexid(40)}=, api error AccessDenied: User: {role_arn} "
                   f"is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::{bucket}/{key}\" "
                   f"because no identity-based policy allows the s3:PutObject action")
            lines.append((off + 0.21, "ERROR", {"msg": "upload failed", "bucket": bucket, "key": key, "err": err}))
            fn.add(start, (off + 0.25) * 1000, "error", lines, mem=rng.randint(402, 455),
                   err={"type": "wrapError", "message": f"archive run {date} aborted at partition 0: {err}"})
            return
        for p in range(48):
            rows = rng.randint(380000, 540000)
            off += rows / 90000.0
            lines.append((off, "INFO", {"msg": "exported partition", "partition": p, "rows": rows,
                                        "bytes": rows * 61}))
            off += rng.uniform(0.4, 1.1)
            lines.append((off, "INFO", {"msg": "uploaded", "key": f"archive/dt={date}/part-{p:04d}.parquet",
                                        "etag": sc.hexid(32)}))
        lines.append((off + 0.2, "INFO", {"msg": "archive run complete", "date": date, "objects": 48}))
        fn.add(start, (off + 0.3) * 1000, "ok", lines, mem=rng.randint(610, 690))

    run(-88500 + 0.42, "2026-04-20", False)
    run(-2100 + 0.38, "2026-04-21", True)
    run(-2100 + 61.9, "2026-04-21", True, 2)
    run(-2100 + 62 + 121.4, "2026-04-21", True, 3)
    fn.emit_metrics()
    fn.emit_logs()

    # unrelated API: deployed 45 min ago, same steady 4xx noise before and after
    counts = {}
    routes = ["/v1/accounts/{id}/balance", "/v1/accounts/{id}/entries", "/v1/transfers"]
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 48, 3.2))
        counts[m] = n
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            route = rng.choice(routes)
            lines = [(0.001, "INFO", {"msg": "request", "route": route, "account": f"acc_{sc.hexid(10)}"})]
            if rng.random() < 0.05:
                lines.append((0.004, "ERROR", {"msg": "request rejected", "status": 422,
                                               "err": "validation: amount must be a positive decimal with at most 2 places"}))
            api.add(t, rng.uniform(22, 85), "ok", lines, mem=rng.randint(38, 45))
    api.emit_metrics()
    api.emit_logs()
    adims = {"ApiName": "ledger-api"}
    sc.series("AWS/ApiGateway", "Count", adims, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "4XXError", adims, "Count", lambda m: sc.poisson(counts[m] * .05) if counts[m] else None)
    sc.series("AWS/ApiGateway", "5XXError", adims, "Count", lambda m: 0 if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", adims, "Milliseconds", lambda m: rng.uniform(40, 110) if counts[m] else None)

    # replica: nightly analytics refresh 01:25-01:45 PDT (benign), small bump while the archiver exports
    def cpu(m):
        base = rng.uniform(6, 11)
        for night in (0, -86400):
            if night - 5700 <= m < night - 4500:
                base += rng.uniform(48, 62)
            if night == -86400 and -88500 <= m < -88500 + 600:
                base += rng.uniform(14, 20)
        return base
    rd = {"DBInstanceIdentifier": "ledger-replica"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent", cpu)
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(9, 14))
    sc.series("AWS/RDS", "ReplicaLag", rd, "Seconds", lambda m: rng.uniform(0, 1.4))
    sc.series("AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda m: 301.4e9 - (m + 90000) * 2100)
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0008, 0.0016))

    sc.alarm("nightly-s3-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": fn.name}, "Sum", 300, 1, 0,
             "GreaterThanThreshold", description="Nightly ledger archive failed")
    sc.set_expect("nightly-s3-archiver-errors", "permission_denied", [fn.name, "nightly-s3-archiver-role"],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "permission_denied", "origin": "origin (the failing function)",
        "decoys": "ledger-api-handler deploy 45 min earlier (healthy); nightly analytics CPU spike on "
                  "ledger-replica; steady 422 validation ERROR lines on the ledger API",
        "story": "The archiver runs once a night. Last night's run (inside the 25 h window) uploaded 48 "
                 "partitions. Yesterday evening (21:45 PDT) an administrator rewrote the inline policy of "
                 "nightly-s3-archiver-role (PutRolePolicy). Tonight's run and both asynchronous retries export "
                 "partition 0 fine from the replica, then S3 PutObject returns 403 AccessDenied: 'is not "
                 "authorized to perform: s3:PutObject ... because no identity-based policy allows'. Counts are "
                 "tiny (3 errors) and there is no baseline in the last few hours, but the message and the IAM "
                 "change decide it: permission_denied, origin the function (its role).",
    }
    return sc


def s04_settlement_partner_timeouts():
    sc = Scenario(name="h56-04-settlement-partner-timeouts", region="eu-central-1", seed=5604, tz_hours=1,
                  now_utc=dt.datetime(2026, 1, 18, 1, 50),
                  description="Settlement events queue backing up overnight; oldest message age alarm.")
    rng = sc.rng
    svc, cluster = "partner-settlement-consumer", "payments"
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                image=f"{ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com/settlement-consumer:4.12.0",
                log_groups=[f"/ecs/{svc}"], queue="settlement-events", http_timeout_s=15)
    sc.resource("ecs", f"{cluster}/ledger-api", launch_type="FARGATE", desired_count=2, cpu=1024, memory=2048)
    sc.resource("rds", "settlements-db", engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200, backup_window="00:00-00:30")
    onset = -2110
    sc.change(-2330, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-api",
              "codepipeline-payments")
    sc.change(-2322, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/ledger-api",
              "codepipeline-payments")

    arrivals = []
    for m in sc.minutes():
        for _ in range(sc.poisson(sc.diurnal(m, 22, 3.4, peak_hour=13))):
            arrivals.append((m + rng.uniform(0, 60), None))
    for _ in range(380):          # card-processor settlement file at 00:30 UTC
        arrivals.append((-4800 + rng.uniform(0, 240), None))
    tasks = [sc.hexid(32), sc.hexid(32)]
    events = {t: [] for t in tasks}
    cat_c, cat_p, cat_db = ("Acme.Settlements.Worker.SettlementConsumer", "Acme.Settlements.PartnerBankClient",
                            "Acme.Settlements.Persistence.SettlementStore")
    url = "https://api.partnerbank.example/v2/settlements/{}/confirm"
    timeout_exc = ("System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured "
                   "HttpClient.Timeout of 15 seconds elapsing.\n ---> System.TimeoutException: The operation was "
                   "canceled.\n ---> System.Threading.Tasks.TaskCanceledException: The operation was canceled.\n"
                   " ---> System.IO.IOException: Unable to read data from the transport connection: Operation "
                   "canceled.\n   --- End of inner exception stack trace ---\n   at System.Net.Http.HttpClient."
                   "HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage response, "
                   "CancellationTokenSource cts, CancellationToken cancellationToken, CancellationTokenSource "
                   "pendingRequestsCts)\n   at System.Net.Http.HttpClient.<SendAsync>g__Core|83_0(HttpRequestMessage "
                   "request, HttpCompletionOption completionOption, CancellationTokenSource cts, Boolean "
                   "disposeCts, CancellationTokenSource pendingRequestsCts, CancellationToken originalCancellationToken)\n"
                   "   at Acme.Settlements.PartnerBankClient.ConfirmAsync(SettlementId id, CancellationToken ct) in "
                   "/src/Acme.Settlements/PartnerBankClient.cs:line 74\n   at Acme.Settlements.Worker."
                   "SettlementConsumer.HandleAsync(Message message, CancellationToken ct) in "
                   "/src/Acme.Settlements.Worker/SettlementConsumer.cs:line 51")
    http503 = ("System.Net.Http.HttpRequestException: Response status code does not indicate success: 503 "
               "(Service Unavailable).\n   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n"
               "   at Acme.Settlements.PartnerBankClient.ConfirmAsync(SettlementId id, CancellationToken ct) in "
               "/src/Acme.Settlements/PartnerBankClient.cs:line 79")

    def process(start, msg, attempt):
        task = rng.choice(tasks)
        ev = events[task]
        sid = msg.payload or f"stl_{sc.hexid(16)}"
        msg.payload = sid
        merchant = f"m_{rng.randint(10000, 99999)}"
        ev.append((start, lf.dotnet(sc, start, "Information", cat_c, f"Processing settlement {sid} for merchant "
                   f"{merchant} (receive {attempt})", SettlementId=sid, MerchantId=merchant)))
        if rng.random() < 0.05:
            ev.append((start + 0.01, lf.dotnet(sc, start + 0.01, "Error", cat_db, f"Duplicate settlement event "
                       f"{sid} ignored: idempotency key already recorded", event_id=4091)))
        if start < onset:
            lat = rng.uniform(160, 420)
            t = start + lat / 1000
            ev.append((t, lf.dotnet(sc, t, "Information", cat_p, f"Partner confirmation accepted in {lat:.0f} ms",
                                    ElapsedMs=round(lat))))
            t += rng.uniform(0.01, 0.04)
            ev.append((t, lf.dotnet(sc, t, "Information", cat_db, f"Settlement {sid} committed")))
            return (t - start) * 1000 + 5, True
        t = start
        timeout = rng.random() < 0.85
        for k in range(4):
            t += 15.0 if timeout else rng.uniform(0.08, 0.2)
            reason = ("The request was canceled due to the configured HttpClient.Timeout of 15 seconds elapsing."
                      if timeout else "Response status code does not indicate success: 503 (Service Unavailable).")
            if k < 3:
                ev.append((t, lf.dotnet(sc, t, "Warning", cat_p, f"Retry {k + 1} of 3 for POST {url.format(sid)} "
                                        f"after {2 ** (k + 1)}s: {reason}")))
                t += 2 ** (k + 1)
        ev.append((t + 0.01, lf.dotnet(sc, t + 0.01, "Error", cat_c, f"Failed to confirm settlement {sid} with "
                   f"partner bank; leaving message for redelivery", exception=timeout_exc if timeout else http503,
                   event_id=5002)))
        return (t - start) * 1000 + 20, False

    msgs = sqs_consume(sc, arrivals, process, concurrency=8, visibility=120, max_receives=20, poll=(0.05, 0.9))
    queue_metrics(sc, "settlement-events", msgs, dlq="settlement-events-dlq", dlq_base=0)
    for task, ev in events.items():
        ev = [e for e in ev if e[0] >= sc.log_from]
        ev += [(t + rng.uniform(0, 5), lf.dotnet(sc, t, "Information",
               "Acme.Settlements.Worker.HealthReporter", f"Heartbeat: 4 handlers, {4 if t >= onset else rng.randint(0, 1)} in flight"))
               for t in range(sc.log_from, 0, 300)]
        sc.log(f"/ecs/{svc}", f"ecs/consumer/{task}", ev)

    dims = {"ClusterName": cluster, "ServiceName": svc}
    sc.series("AWS/ECS", "CPUUtilization", dims, "Percent", lambda m: rng.uniform(4, 9) if m < onset else rng.uniform(2, 5))
    sc.series("AWS/ECS", "MemoryUtilization", dims, "Percent", lambda m: rng.uniform(36, 40))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", lambda m: 2)
    ld = {"ClusterName": cluster, "ServiceName": "ledger-api"}
    sc.series("AWS/ECS", "CPUUtilization", ld, "Percent",
              lambda m: rng.uniform(9, 16) + (25 if -2322 <= m < -2100 else 0))
    sc.series("AWS/ECS", "MemoryUtilization", ld, "Percent", lambda m: rng.uniform(44, 49))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", ld, "Count", lambda m: 4 if -2322 <= m < -2100 else 2)
    rd = {"DBInstanceIdentifier": "settlements-db"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(7, 12) + (14 if -6600 <= m < -4800 else 0) + (9 if -4800 <= m < -4500 else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(20, 24))
    sc.series("AWS/RDS", "WriteLatency", rd, "Seconds",
              lambda m: rng.uniform(0.0011, 0.0019) * (3.2 if -6600 <= m < -4800 else 1))
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0006, 0.0012))
    sc.series("AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda m: 131.9e9 - (m + 21600) * 800)

    sc.alarm("settlement-events-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "settlement-events"}, "Maximum", 300, 2, 900, "GreaterThanThreshold",
             description="Settlement events waiting more than 15 minutes")
    sc.set_expect("settlement-events-oldest-message", "dependency_failure", [f"{cluster}/{svc}", svc],
                  [("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "settlement-events"})])
    sc.notes = {
        "category": "dependency_failure", "origin": "front (the queue); the failing dependency is outside "
                                                    "the account, so the consumer service is the origin resource",
        "decoys": "ledger-api ECS deployment 4 min before onset (other service, healthy); settlements-db "
                  "backup-window write latency bump and the 00:30 settlement-file burst; steady "
                  "'Duplicate settlement event' Error lines",
        "story": "From 01:15 UTC every call from partner-settlement-consumer to the partner bank's confirm "
                 "endpoint times out at the 15 s HttpClient timeout (some return 503), Polly retries three times, "
                 "and the message is left for redelivery. Throughput collapses, the settlement-events backlog and "
                 "the age of its oldest message climb until the alarm. The service's CPU/memory are idle, "
                 "settlements-db is healthy, and the ledger-api deployment touched another service. "
                 "Timeouts from a downstream HTTP API that is not an account resource: dependency_failure, "
                 "attributed to the consumer service that depends on it.",
    }
    return sc
