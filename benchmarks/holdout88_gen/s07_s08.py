"""h88-07 (Sidekiq import workers OOM-killed by one tenant's CSV) and h88-08 (activity MySQL out of
allocated storage; the timeline writer Lambda alarms)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, mysql

from .kit import LOG_START, S88, ecs_metrics, emit, flat, lam_metrics, per_min, put, rds_metrics
from .s01_s02 import sidekiq


def build07() -> S88:
    T0 = -2580
    START = T0 - 620
    KILLS = [START + 300 + i * 260 for i in range(40) if START + 300 + i * 260 < -20]
    sc = S88(7, "csv-import-8812", "Contact imports stuck for customers; the imports queue latency alarm fired.",
             "eu-west-2", 8807, "2026-02-25T09:20:00+00:00", {
                 "front": "front (Sidekiq queue latency)", "services": ["ecs"],
                 "decoys": "web service deploy 100 s before onset; enrichment 429s all day; a small import "
                           "three hours earlier raised memory and released it",
             })
    svc = "crm-prod/sidekiq-imports"
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=2, cpu=1024, memory=2048,
                log_group="/ecs/crm-prod/sidekiq-imports")
    sc.resource("ecs", "crm-prod/web", launch_type="FARGATE", desired_count=6, log_group="/ecs/crm-prod/web")

    def saw(t):
        if t < START:
            return 0.0
        prev = max([START] + [k for k in KILLS if k <= t])
        nxt = min([k for k in KILLS if k > t] + [prev + 300])
        return (t - prev) / max(60.0, nxt - prev)
    mem = lambda t: 34 + 70 * saw(t) + bump(t, -11200, -10500, 22)  # noqa: E731
    ecs_metrics(sc, "crm-prod", "sidekiq-imports", lambda t: 18 + 40 * (t > START) + bump(t, -11200, -10500, 30),
                mem, tasks=lambda t: 2 - any(k <= t < k + 60 for k in KILLS))
    ecs_metrics(sc, "crm-prod", "web", lambda t: 36 * diurnal(sc, t, 11) + bump(t, T0 - 100, T0 + 200, 12), flat(55))
    dims = {"Queue": "imports"}
    put(sc, "CRM/Sidekiq", "QueueLatency", dims, "Seconds",
        lambda t: 4 + bump(t, -11200, -10500, 40) + max(0.0, t - START - 280) * 0.95 * (t > START + 280),
        noise=0.1, digits=1)
    put(sc, "CRM/Sidekiq", "QueueSize", dims, "Count", lambda t: 3 + 0.4 * max(0.0, t - START - 280) / 60 * 8,
        integer=True)
    sc.alarm("sidekiq-imports-latency", "CRM/Sidekiq", "QueueLatency", dims, "Maximum", 60, 5, 600,
             "GreaterThanThreshold", "Contact import jobs waiting too long")
    sc.alarm("sidekiq-imports-memory-high", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": "crm-prod", "ServiceName": "sidekiq-imports"}, "Maximum", 300, 1, 95,
             "GreaterThanThreshold")
    sc.change(T0 - 100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "crm-prod/web",
              "github-actions-deploy")
    sc.change(T0 - 112, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "crm-web",
              "github-actions-deploy")
    sc.change(-17200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-deploy")
    g = "/ecs/crm-prod/sidekiq-imports"
    hist = {0: [(-10 ** 9, f"sidekiq/imports/{sc.hexid(32)}")], 1: [(-10 ** 9, f"sidekiq/imports/{sc.hexid(32)}")]}

    def stream(slot, t):
        return [n for t0, n in hist[slot] if t0 <= t][-1]
    ev = "/aws/events/ecs/crm-prod"
    for i, k in enumerate(KILLS):
        slot = i % 2
        tid = stream(slot, k).rsplit("/", 1)[1]
        sc.log(ev, "ecs-task-state-change", k + 2, jline({
            "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
            "account": sc.account, "time": sc.iso(k + 2, 0), "region": "eu-west-2",
            "detail": {"clusterArn": f"arn:aws:ecs:eu-west-2:{sc.account}:cluster/crm-prod",
                       "group": "service:sidekiq-imports", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                       "stopCode": "EssentialContainerExited",
                       "stoppedReason": "Essential container in task exited",
                       "containers": [{"name": "sidekiq", "exitCode": 137, "lastStatus": "STOPPED",
                                       "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                       "taskArn": f"arn:aws:ecs:eu-west-2:{sc.account}:task/crm-prod/{tid}"}}))
        hist[slot].append((k + 45, f"sidekiq/imports/{sc.hexid(32)}"))
        sc.log(g, stream(slot, k + 48), k + 48, sidekiq(sc, k + 48, "INFO", "Booted Rails 7.1.3 application in "
                                                        "production environment"))
        sc.log(g, stream(slot, k + 49), k + 49, sidekiq(sc, k + 49, "INFO", "Starting processing, hit Ctrl-C to stop"))

    def job(t):
        s = stream(sc.rng.randint(0, 1), t)
        cls = sc.rng.choice(["Imports::CsvContactsJob", "Imports::ValidateRowsJob", "Enrichment::CompanyLookupJob"])
        jid = sc.hexid(24)
        if t > START + 280 and cls != "Enrichment::CompanyLookupJob":
            return
        sc.log(g, s, t, sidekiq(sc, t, "INFO", "start", cls, jid))
        el = sc.rng.uniform(0.4, 9)
        sc.log(g, s, t + el, sidekiq(sc, t + el, "INFO", "done", cls, jid, elapsed=f"{el:.3f}"))
    emit(sc, LOG_START, 0, 3, job)
    emit(sc, LOG_START, 0, 1.0, lambda t: sc.log(g, stream(0, t), t, sidekiq(
        sc, t, "WARN", "Faraday::TooManyRequestsError: the server responds with status 429 (GET https://company."
        "clearbit.com/v2/companies/find)", "Enrichment::CompanyLookupJob", sc.hexid(24))))
    sc.log(g, stream(1, -11180), -11180, sidekiq(sc, -11180, "INFO", "import upload=imp_7Hq2 rows=48210 size=14.2MB",
                                          "Imports::CsvContactsJob", sc.hexid(24), tenant_id=2210))
    for i, k in enumerate([START] + KILLS[:-1]):
        t = k + 70 if i else k
        s = stream(i % 2, t)
        jid = "3f8c1a9e07b2d4c6e5a1f0b9"
        sc.log(g, s, t, sidekiq(sc, t, "INFO", "start", "Imports::CsvContactsJob", jid, tenant_id=8812))
        sc.log(g, s, t + 1, sidekiq(sc, t + 1, "INFO", "import upload=imp_Zx91 rows=2114930 size=1.87GB "
                                    "mode=full_read (CSV.read)", "Imports::CsvContactsJob", jid, tenant_id=8812))
        if i:
            sc.log(g, s, t - 4, sidekiq(sc, t - 4, "WARN", "SuperFetch recovered job from dead process "
                                        "(Imports::CsvContactsJob jid=3f8c1a9e07b2d4c6e5a1f0b9)"))
    sc.expect_("sidekiq-imports-latency", "memory_exhaustion", [svc, "sidekiq-imports"],
               [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                 "dimensions": {"ClusterName": "crm-prod", "ServiceName": "sidekiq-imports"}}])
    sc.meta["story"] = (
        "Tenant 8812 uploads a 1.87 GB CSV (2.1 M rows) and `Imports::CsvContactsJob` reads it whole. Memory "
        "on sidekiq-imports climbs to 100 % in about four minutes, the task is stopped with `OutOfMemoryError: "
        "Container killed due to memory usage` (exit 137), the replacement boots, reliable fetch recovers the "
        "same job and the cycle repeats every ~4 minutes. Other import jobs stop completing and queue latency "
        "grows past ten minutes. The crm-prod/web deploy 100 s before the alarm is the nearest change but a "
        "different service; the 14 MB import three hours earlier raised memory and released it; the Clearbit "
        "429s are constant.")
    return sc


def build08() -> S88:
    T0 = -1500
    sc = S88(8, "timeline-partition", "Activity timeline writes failing; timeline-writer Errors alarm fired.",
             "ca-central-1", 8808, "2026-02-26T16:45:00+00:00", {
                 "front": "front (caller Lambda)", "services": ["lambda", "rds"],
                 "decoys": "code deploy of timeline-digest 2 min before onset; deadlock retries all day; "
                           "free-storage alarm already in ALARM",
             })
    db, fn = "crm-activity-mysql", "timeline-writer"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                allocated_storage_gb=200, storage_autoscaling=False, max_connections=1000)
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512)
    sc.resource("lambda", "timeline-digest", runtime="nodejs18.x", timeout=120, memory_size=1024)
    gb = lambda t: max(0.021, 9.6 - 9.6 * ((t + 21600) / (T0 + 21600)) ** 1.35)  # noqa: E731
    full = lambda t: ramp(t, T0 - 60, T0 + 30)  # noqa: E731
    rds_metrics(sc, db, lambda t: 22 * diurnal(sc, t, 18, 0.2) + bump(t, -16200, -15500, 35),
                lambda t: 95 * diurnal(sc, t, 18, 0.1), gb, write_lat=lambda t: 0.0021 + 0.02 * full(t),
                mem_gb=5.1)
    lam = lam_metrics(sc, fn, lambda t: 24 * diurnal(sc, t, 18, 0.2), lambda t: 0.012 + 0.97 * full(t),
                      lambda t: 260 - 120 * full(t))
    lam_metrics(sc, "timeline-digest", lambda t: 3, lambda t: 0.0, lambda t: 14200)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Timeline event writer failures")
    sc.alarm(f"{db}-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum",
             300, 1, 2 * 1024 ** 3, "LessThanThreshold", "Activity DB free storage under 2 GiB")
    sc.change(T0 - 120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "timeline-digest", "ci-release-bot")
    sc.change(-19900, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "crm-activity-mysql80", "dba-oncall")
    ll = LambdaLogs(sc, fn, "python3.11", 512, 60, mem_used=(118, 8))

    def body(ll, t, rid, is_err, cold):
        n = sc.rng.randint(5, 60)
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", f"writing {n} timeline events batch={sc.hexid(12)}"))]
        if is_err and full(t) > 0.5:
            lines.append((0.09, "[ERROR] OperationalError: (1114, \"The table 'timeline_events' is full\")\n"
                                "Traceback (most recent call last):\n  File \"/var/task/writer/handler.py\", line 57, "
                                "in handler\n    cur.executemany(INSERT_SQL, rows)\n  File \"/opt/python/pymysql/"
                                "cursors.py\", line 182, in executemany"))
            return {"dur": sc.rng.uniform(80, 200), "lines": lines}
        if is_err:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "ERROR", "batch failed after 3 retries: (1213, 'Deadlock found when "
                                      "trying to get lock; try restarting transaction')")))
        elif sc.rng.random() < 0.05:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARNING", "retrying batch after (1213, 'Deadlock found when trying "
                                      "to get lock; try restarting transaction')")))
        return {"dur": sc.rng.uniform(120, 400), "lines": lines}
    ll.run({m: max(1, round(v / 3)) for m, v in per_min(lam["inv"]).items()},
           {m: round(v / 3) for m, v in per_min(lam["err"]).items()}, body)
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, LOG_START, 0, 0.15, lambda t: sc.log(eg, es, t, mysql(
        sc, t, sc.rng.randint(10, 90), "Warning", "MY-010055", f"IP address '10.8.{sc.rng.randint(1, 9)}."
        f"{sc.rng.randint(2, 250)}' could not be resolved: Name or service not known")))
    emit(sc, T0 - 40, 0, lambda t: 3 * full(t), lambda t: [sc.log(eg, es, t, mysql(
        sc, t, 0, "ERROR", "MY-012639", f"Write to file ./crm_activity/timeline_events#p#p202602.ibd failed at "
        f"offset {sc.rng.randint(10 ** 9, 9 * 10 ** 9)}, 1048576 bytes should have been written, only 0 were written. "
        "Operating system error number 28. Check that your OS and file system support files of this size. Check "
        "also that the disk is not full or a disk quota exceeded.", "InnoDB")), sc.log(eg, es, t + 0.001, mysql(
            sc, t + 0.001, 0, "ERROR", "MY-012640", "Error number 28 means 'No space left on device'", "InnoDB")),
        sc.log(eg, es, t + 0.002, mysql(sc, t + 0.002, sc.rng.randint(100, 900), "ERROR", "MY-013132",
                                        "The table 'timeline_events' is full!"))])
    sc.expect_(f"{fn}-errors", "storage_exhaustion", [db],
               [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta["story"] = (
        "FreeStorageSpace on crm-activity-mysql has been sliding all afternoon (9.6 GiB six hours ago) with no "
        "storage autoscaling; about 25 minutes before now it reaches zero. The MySQL error log shows InnoDB "
        "`Operating system error number 28` / `No space left on device` and `The table 'timeline_events' is "
        "full!`, and timeline-writer fails nearly every batch with `(1114, \"The table 'timeline_events' is "
        "full\")`. The deploy to timeline-digest two minutes earlier is a different function with flat "
        "metrics; the deadlock retries are the writer's normal background. The origin is the database, not "
        "the Lambda that alarmed.")
    return sc


BUILDERS = [build07, build08]
