"""h62-15 (max_connections lowered on the reporting DB) and h62-16 (poison upload event crashes ECS consumers)."""
from __future__ import annotations

import json

from .common import Scenario, diurnal, ramp
from .kit import LOG_START, alb_metrics, ecs_metrics, emit, hourly, rds_metrics, sqs_metrics
from .runtimes import gunicorn


# =========================================================================== 15
def s15() -> tuple:
    PG = -2950
    T0 = PG + 50
    sc = Scenario(15, "reports-5xx",
                  "Reports portal returning 500s; store managers cannot open daily reports.",
                  "us-west-1", 6215, "2026-08-06T21:15:00+00:00")
    lb = "app/reports-alb/c2e94f1a7b3d6085"
    cl, api, wk, db = "reporting", "report-api", "report-worker", "rptdb-1"
    sc.resource("alb", lb, name="reports-alb", target_group="report-api")
    sc.resource("ecs", f"{cl}/{api}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
                log_group=f"/ecs/{api}")
    sc.resource("ecs", f"{cl}/{wk}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=2)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.r6g.xlarge",
                max_connections=300, allocated_storage_gb=1000, parameter_group="rptdb-mysql80")

    day = lambda t: diurnal(sc, t, peak_hour=22, amp=0.15)
    batch = lambda t: hourly(sc, t, 25, 10, 1.0)
    capped = lambda t: ramp(t, T0, T0 + 30)
    want = lambda t: 372 * day(t) + 260 * batch(t)
    rds_metrics(sc, db, cpu=lambda t: 31 * day(t) + 22 * batch(t),
                conns=lambda t: want(t) * (1 - capped(t)) + min(want(t), 299.0) * capped(t))
    req = lambda t: 2300 * day(t)
    fail = lambda t: 0.27 * capped(t)
    alb_metrics(sc, lb, req=req, rt=lambda t: 0.19 + 0.25 * capped(t), t5xx=lambda t: 1 + req(t) * fail(t),
                t4xx=lambda t: 14.0)
    ecs_metrics(sc, cl, api, cpu=lambda t: 41 * day(t), mem=lambda t: 52.0, running=lambda t: 4, desired=4)
    ecs_metrics(sc, cl, wk, cpu=lambda t: 9 + 70 * batch(t), mem=lambda t: 38 + 20 * batch(t),
                running=lambda t: 2, desired=2)

    tasks = [sc.hexid(32) for _ in range(4)]
    wk_old, wk_new = [sc.hexid(32) for _ in range(2)], [sc.hexid(32) for _ in range(2)]

    def line(t):
        rng = sc.rng
        st = f"ecs/web/{rng.choice(tasks)}"
        pid = rng.choice([17, 18, 19, 20])
        store = f"s{rng.randint(1000, 4999)}"
        d = sc.at(t)
        if t >= T0 and rng.random() < fail(t) * 1.2:
            return st, gunicorn(sc, t, pid, "ERROR", f"Exception on /api/reports/daily [GET]\nTraceback (most recent call last):\n"
                                "  File \"/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/base.py\", line 898, in __connect\n"
                                "    self.dbapi_connection = connection = pool._invoke_creator(self)\n"
                                "  File \"/usr/local/lib/python3.12/site-packages/pymysql/connections.py\", line 361, in __init__\n"
                                "    self.connect()\n"
                                "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1040, 'Too many connections')\n"
                                "(Background on this error at: https://sqlalche.me/e/20/e3q8)")
        x = rng.random()
        if x < 0.05:
            return st, gunicorn(sc, t, pid, "ERROR", f"PDF render failed for report r-{sc.hexid(8)}: wkhtmltopdf exited with status 1")
        if x < 0.13:
            return st, gunicorn(sc, t, pid, "WARNING", f"Slow report query store={store} took {rng.uniform(3, 6):.1f}s")
        status = 500 if t >= T0 and rng.random() < fail(t) else 200
        return st, (f'10.30.{rng.randint(1, 9)}.{rng.randint(2, 250)} - - [{d:%d/%b/%Y:%H:%M:%S} +0000] "GET /api/reports/daily?store={store} '
                    f'HTTP/1.1" {status} {rng.randint(2000, 9000) if status == 200 else 265} "-" "Mozilla/5.0" {rng.uniform(0.05, 0.4):.3f}')
    emit(sc, f"/ecs/{api}", LOG_START, 0, 6, line)

    def wline(t):
        rng = sc.rng
        st = f"ecs/worker/{rng.choice(wk_old if t < T0 - 20 else wk_new)}"
        if batch(t):
            return st, json.dumps({"ts": sc.iso(t), "level": "info", "logger": "reports.batch",
                                   "msg": f"materialized hourly report for region {rng.choice(['NorCal', 'SoCal', 'PNW', 'Mountain'])}",
                                   "rows": rng.randint(10000, 90000)})
        return st, json.dumps({"ts": sc.iso(t), "level": "info", "logger": "reports.scheduler", "msg": "idle, next run at :25"})
    emit(sc, f"/ecs/{wk}", LOG_START, 0, lambda t: 0.3 + 3 * batch(t), wline)

    sc.alarm("reports-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             50, "GreaterThanThreshold", "Reports portal server errors")
    sc.alarm("rptdb-1-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum", 300, 1,
             800, "GreaterThanThreshold", "Connections above 80% of max_connections (1000)")
    sc.change(PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "rptdb-mysql80",
              "k.osei")
    sc.change(PG + 18, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{wk}:57",
              "gha-reporting")
    sc.change(PG + 30, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{wk}", "gha-reporting")
    sc.change(-16800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", db, "k.osei")
    sc.expect = {"alarm": "reports-alb-5xx",
                 "root_cause": {"category": "config_change", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    info = dict(alarm="reports-alb-5xx", category="config_change", resources=[db],
                where="front (ALB)", services="ALB, ECS, RDS MySQL",
                decoys="report-worker deploy 20 s before onset (closer than the parameter change); hourly batch "
                       "raising connections at :25 every hour; stale 80 %-of-1000 connection alarm that stays OK; "
                       "old PDF-render errors",
                story=(
                    "`reports-alb` fronts the Python `reporting/report-api`, which reads `rptdb-1`. All "
                    "afternoon the database sat at ~370 connections with hourly peaks of ~630 when the "
                    "report batch runs at :25. At -49 min a DBA modifies parameter group `rptdb-mysql80`; "
                    "the instance now shows `max_connections` 300, DatabaseConnections flattens at 299 and "
                    "never rises again, and a minute later a quarter of API requests fail with `(1040, 'Too "
                    "many connections')`, which the ALB reports as target 5XX. The connection alarm still "
                    "assumes a limit of 1000 and stays OK. The report-worker deploy 20 s before onset and the "
                    "hourly batch both touch connection demand, but demand is no higher than at earlier "
                    "hours that served fine; only the ceiling moved."),
                judgement=("Connections at the limit with 'Too many connections' fits "
                           "`db_connection_exhaustion`, but the limit itself was lowered by a parameter change "
                           "just before onset; with the rule 'the more specific trigger wins' this is "
                           "`config_change` on `rptdb-1` (the parameter group is not a resource type here)."))
    return sc, info


# =========================================================================== 16
def s16() -> tuple:
    T0 = -3060
    sc = Scenario(16, "asset-uploaded-backlog",
                  "asset-uploaded queue backlog alarm; uploaded videos stuck in 'processing'.",
                  "ap-southeast-1", 6216, "2026-02-20T04:50:00+00:00")
    cl, svc, th = "media", "transcode-dispatch", "thumbnail-api"
    q = "asset-uploaded"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
                consumes=f"sqs:{q}", log_group=f"/ecs/{svc}", visibility_timeout=120, max_receive_count=100)
    sc.resource("ecs", f"{cl}/{th}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=2)

    day = lambda t: diurnal(sc, t, peak_hour=12, amp=0.25)
    reidx = lambda t: hourly(sc, t, 55, 5, 1.0)
    crash = [T0 + 25 + k * sc.rng.uniform(118, 132) for k in range(40)]
    crash = [c for c in crash if c < -20]

    def down(t):
        return sum(1 for c in crash if c <= t < c + 75)
    cap = lambda t: 380 * (4 - down(t)) / 4 * (1 - 0.35 * ramp(t, T0, T0 + 60))
    sent = lambda t: 300 * day(t) + 300 * reidx(t)
    backlog = {}
    b = 40.0
    for t in range(-21600, 0, 60):
        b = max(40.0, b + sent(t) - cap(t) * (1 if b > 60 else 0.55))
        backlog[t] = b
    sqs_metrics(sc, q, sent=sent, deleted=lambda t: min(cap(t), sent(t) + backlog[int(t)] - 40),
                visible=lambda t: backlog[int(t)], age=lambda t: 20 + backlog[int(t)] / 5 + max(0.0, t - T0) * 0.9 * ramp(t, T0, T0 + 60))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 48 * day(t) + 20 * reidx(t), mem=lambda t: 46.0,
                running=lambda t: 4 - down(t), desired=4)
    ecs_metrics(sc, cl, th, cpu=lambda t: 22 + 20 * ramp(t, T0 - 300, T0 - 240) * (1 - ramp(t, T0 - 120, T0 - 60)),
                mem=lambda t: 40.0, running=lambda t: 2, desired=2)

    slots = {i: [sc.hexid(32)] for i in range(4)}
    owner = {}
    for k, c in enumerate(crash):
        i = k % 4
        owner[c] = (i, slots[i][-1])
        slots[i].append(sc.hexid(32))
    starts = {i: [-10 ** 9] + [c + 75 for c in crash if owner[c][0] == i] for i in range(4)}

    def tid(i, t):
        idx = sum(1 for s in starts[i] if s <= t) - 1
        return slots[i][idx]

    def pino(t, level, msg, host="ip-10-8-21-40.ap-southeast-1.compute.internal", **kw):
        o = {"level": level, "time": int(sc.at(t).timestamp() * 1000), "pid": 1,
             "hostname": host, "msg": msg}
        o.update(kw)
        return json.dumps(o)

    hosts = {}

    def line(t):
        rng = sc.rng
        i = rng.randrange(4)
        if any(c <= t < c + 75 and owner[c][0] == i for c in crash):
            return None
        st = f"ecs/dispatch/{tid(i, t)}"
        host = hosts.setdefault(st, f"ip-10-8-{rng.randint(1, 60)}-{rng.randint(2, 250)}.ap-southeast-1.compute.internal")
        if rng.random() < 0.1:
            return st, pino(t, 40, "unsupported image format, skipping thumbnail", format=rng.choice(["heic", "avif", "tiff"]),
                            assetId=f"a_{sc.hexid(10)}", host=host)
        return st, pino(t, 30, "dispatched transcode job", host=host, assetId=f"a_{sc.hexid(10)}",
                        profile=rng.choice(["hls-720", "hls-1080", "mp4-480"]), queueLagMs=rng.randint(40, 900))
    emit(sc, f"/ecs/{svc}", LOG_START, 0, 6, line)
    poison_id = sc.uuid()
    for n, c in enumerate(crash):
        i, old = owner[c]
        st = f"ecs/dispatch/{old}"
        sc.log(f"/ecs/{svc}", st, c - 0.05, pino(c - 0.05, 30, "received message", messageId=poison_id,
                                                   host=hosts.get(st, "ip-10-8-33-17.ap-southeast-1.compute.internal"),
                                                   assetId="a_7f03c1e9d2", receiveCount=n + 1))
        sc.log(f"/ecs/{svc}", st, c, "/app/src/dispatch.js:88\n      const secs = evt.media.duration.toFixed(0);\n"
                                    "                                     ^\n\nTypeError: Cannot read properties of null (reading 'toFixed')\n"
                                    "    at buildJob (/app/src/dispatch.js:88:38)\n    at handleMessage (/app/src/consumer.js:41:17)\n"
                                    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n\nNode.js v20.11.1")
        ev = {"detail-type": "ECS Task State Change", "source": "aws.ecs", "time": sc.iso(c + 15, 0),
              "detail": {"group": f"service:{svc}", "lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                         "stoppedReason": "Essential container in task exited",
                         "containers": [{"name": "dispatch", "exitCode": 1}],
                         "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{cl}/{old}"}}
        sc.log("/aws/events/ecs-task-state", "ecs-events", c + 15, json.dumps(ev))
    th_old, th_new = [sc.hexid(32) for _ in range(2)], [sc.hexid(32) for _ in range(2)]
    emit(sc, f"/ecs/{th}", LOG_START, 0, 1.2,
         lambda t: (f"ecs/thumb/{sc.rng.choice(th_old if t < T0 - 240 else th_new)}",
                    pino(t, 30, "GET /thumb 200", ms=sc.rng.randint(8, 70))))

    sc.alarm("asset-uploaded-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": q}, "Maximum",
             300, 2, 3000, "GreaterThanThreshold", "Upload events waiting for transcode dispatch")
    sc.alarm("asset-uploaded-oldest", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": q}, "Maximum", 300, 1,
             1800, "GreaterThanThreshold")
    sc.change(T0 - 312, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{th}:19", "gha-media")
    sc.change(T0 - 300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{th}", "gha-media")
    sc.change(-14000, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "thumbnail-requests", "terraform-media")
    sc.expect = {"alarm": "asset-uploaded-backlog",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "ECS/ContainerInsights", "name": "RunningTaskCount",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    info = dict(alarm="asset-uploaded-backlog", category="application_error", resources=[f"{cl}/{svc}", svc],
                where="front (SQS queue of the ECS worker)", services="ECS, SQS",
                decoys="hourly asset-reindex burst into the same queue 4 min before onset; thumbnail-api deploy "
                       "5 min before onset; old unsupported-format warnings",
                story=(
                    f"`{cl}/{svc}` (Node, pino JSON) dispatches transcode jobs from `{q}`. Every hour at :55 "
                    "a reindex burst lands in the queue and is drained within minutes. At -51 min the "
                    "tasks start dying one after another: each death is preceded by `received message` for the "
                    "same `messageId` / `assetId a_7f03c1e9d2` with a `receiveCount` that goes up by one "
                    "every ~2 minutes (the visibility timeout), then an uncaught `TypeError: Cannot read "
                    "properties of null (reading 'toFixed')` in `buildJob`, and an ECS stop with exit code 1. "
                    "RunningTaskCount keeps dipping below 4, deletes fall short of arrivals, and for the first "
                    "time the post-burst backlog keeps growing. Nothing changed on the service; the "
                    "`thumbnail-api` deploy is a different service, and the reindex burst is the same as "
                    "in every earlier hour."),
                judgement=("A poison message is bad data, but the service crashing on it with an unhandled "
                           "exception and no preceding change is `application_error`; the burst is a decoy "
                           "because earlier identical bursts drained."))
    return sc, info
