"""h66-01 (ward portal behind ALB, Postgres connection slots) and h66-02 (hourly lab batch)."""
from __future__ import annotations

from .common import bump, diurnal, ramp
from .kit import M, jl, laravel, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, nginx, pg


def build_01():
    sc = new_scenario(1, "ward-portal-shift-change", "Ward portal returning 5xx to nurses at the "
                      "19:00 handover; ALB target 5xx alarm paged the platform on-call.",
                      "eu-west-2", 6601, "2026-03-09T19:34:00+00:00")
    T0 = -1860  # 19:03
    lb, db = "app/ward-portal/7c1e54a09b3d2f18", "pg-clin-03"
    sc.resource("alb", lb, name="ward-portal", scheme="internal")
    sc.resource("ecs", "clinical/ward-web", launch_type="FARGATE", desired_count=6,
                cpu=1024, memory=2048, image="ward-web:2026.03.05-1")
    sc.resource("ecs", "clinical/fax-gateway", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="15.6",
                instance_class="db.r6g.large", max_connections=400, allocated_storage_gb=500)
    shift = lambda t: 1.0 + bump(t, -2700, 0, 0.6, edge=600)
    load = lambda t: diurnal(sc, t, 13, 0.3) * shift(t)
    fail = lambda t: ramp(t, T0 - 120, T0 + 240)
    dl = {"LoadBalancer": lb}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 820 * load(t), integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dl, "Count", lambda t: 14 * load(t),
      integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count",
      lambda t: 0.6 + 150 * fail(t), integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds",
      lambda t: 0.16 * load(t) + 2.1 * fail(t), noise=0.12)
    de = {"ClusterName": "clinical", "ServiceName": "ward-web"}
    M(sc, "AWS/ECS", "CPUUtilization", de, "Percent", lambda t: 31 * load(t), noise=0.08)
    M(sc, "AWS/ECS", "MemoryUtilization", de, "Percent", lambda t: 54, noise=0.02)
    df = {"ClusterName": "clinical", "ServiceName": "fax-gateway"}
    M(sc, "AWS/ECS", "CPUUtilization", df, "Percent", lambda t: 9 + 30 * ramp(t, -1980, -1900) *
      (1 - ramp(t, -1700, -1500)), noise=0.1)
    dd = {"DBInstanceIdentifier": db}
    conn = lambda t: min(399.0, 205 * load(t) + 60 * ramp(t, -1920, -1800) + 200 * fail(t))
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", conn, noise=0.012, cap=400, digits=0)
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 24 * load(t) + 14 * fail(t),
      noise=0.08)
    M(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes", lambda t: 5.1e9 - 0.6e9 * fail(t),
      noise=0.01, digits=0)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0011 * load(t), noise=0.15,
      digits=5)
    M(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes", lambda t: 2.71e11 - t * 0, noise=0.0005,
      digits=0)
    # ---- logs: ward-web nginx + Laravel
    g, tasks = "/ecs/ward-web", [f"ecs/ward-web/{sc.hexid(32)}" for _ in range(3)]
    host = f"{db}.cq8v2x1rbd0e.eu-west-2.rds.amazonaws.com"
    paths = ["/wards/4B/handover", "/patients/{}/obs", "/patients/{}/meds", "/tasks", "/beds"]

    def access(s):
        st = tasks[int(s) % 3]
        p = sc.rng.choice(paths).format(sc.rng.randint(100000, 999999))
        if sc.rng.random() < 0.8 * fail(s):
            sc.log(g, st, s, nginx(sc, s, sc.ip("10.20"), "GET", p, 500, 612,
                                   sc.rng.uniform(1.5, 4.8)))
            sc.log(g, st, s + 0.004, laravel(sc, s, "error", (
                f'SQLSTATE[08006] [7] connection to server at "{host}" (10.20.3.41), port 5432 '
                f"failed: FATAL:  {sc.rng.choice(['sorry, too many clients already', 'remaining connection slots are reserved for non-replication superuser connections'])}"
                f' (Connection: pgsql, SQL: select * from "handover_notes" where "ward_id" = 17)'),
                {"exception": "[object] (Illuminate\\Database\\QueryException(code: 7))"}))
        else:
            sc.log(g, st, s, nginx(sc, s, sc.ip("10.20"), "GET", p, 200,
                                   sc.rng.randint(900, 24000), sc.rng.uniform(0.05, 0.4)))
            if sc.rng.random() < 0.5:
                sc.log(g, st, s + 0.002, laravel(sc, s, "info", "AUDIT record.viewed", {
                    "user": f"rn{sc.rng.randint(1000, 9999)}", "mrn": sc.rng.randint(10 ** 7, 10 ** 8),
                    "ward": sc.rng.choice(["4B", "7A", "ICU2", "AMU"])}))
    sprinkle(sc, -21600, 0, lambda t: 3.2 * load(t) + 3 * fail(t), access)
    sprinkle(sc, -21600, 0, lambda t: 0.9, lambda s: sc.log(g, tasks[1], s, laravel(
        sc, s, "error", "HL7 MLLP send failed: stream_socket_client(): Unable to connect to "
        "tcp://10.20.8.14:2575 (Connection timed out)", {"feed": "ADT^A08", "retry": "queued"})))
    sprinkle(sc, -21600, 0, lambda t: 0.5, lambda s: sc.log(g, tasks[2], s, laravel(
        sc, s, "warning", "CSRF token mismatch.", {"route": "obs.store", "status": 419})))
    # ---- postgres log
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", db
    for m in minutes(-21600):
        if sc.at(m).minute % 5 == 0:
            s = m + sc.rng.uniform(0, 3)
            sc.log(pgg, pgs, s, pg(sc, s, "LOG", "checkpoint starting: time"))
            sc.log(pgg, pgs, s + 40, pg(sc, s + 40, "LOG", (
                f"checkpoint complete: wrote {sc.rng.randint(400, 3000)} buffers "
                f"({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; "
                f"write={sc.rng.uniform(20, 39):.3f} s, sync=0.004 s, total={sc.rng.uniform(39, 40):.3f} s")))
    sprinkle(sc, -21600, 0, lambda t: 0.15, lambda s: sc.log(pgg, pgs, s, pg(
        sc, s, "LOG", f'automatic vacuum of table "clin.public.audit_events": index scans: 1')))
    sprinkle(sc, T0 - 60, 0, lambda t: 7 * fail(t), lambda s: sc.log(pgg, pgs, s, pg(
        sc, s, "FATAL", sc.rng.choice(["sorry, too many clients already",
                                        "remaining connection slots are reserved for non-replication superuser connections"]),
        client=sc.ip("10.20") + f"({sc.rng.randint(30000, 60000)})", user="ward_web", db="clin")))
    # ---- handover report job (runs at 07:00 and 19:00 every day)
    hg, hs = "/ecs/handover-reports", f"ecs/handover-reports/{sc.hexid(32)}"
    s = -2042.0
    sc.log(hg, hs, s, jl({"ts": sc.iso(s), "level": "info", "msg": "handover run starting",
                          "shift": "night", "wards": 42, "workers": 6}))
    for i in range(42):
        s += sc.rng.uniform(20, 38)
        sc.log(hg, hs, s, jl({"ts": sc.iso(s), "level": "info", "msg": "ward pack rendered",
                              "ward": i + 1, "pages": sc.rng.randint(8, 60)}))
    sc.log(hg, hs, s + 3, jl({"ts": sc.iso(s + 3), "level": "info", "msg": "handover run finished",
                              "failed": 0}))
    # ---- alarms and changes
    sc.alarm("ward-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl,
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Ward portal targets returning 5xx")
    sc.alarm("pg-clin-03-connections-high", "AWS/RDS", "DatabaseConnections", dd, "Maximum", 60, 5,
             380, "GreaterThanThreshold")
    sc.change(-15400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "aws-backup-clinical")
    sc.change(-2045, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition",
              "handover-reports:41", "eventbridge-ecs-scheduler")
    sc.change(-1975, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "clinical/fax-gateway", "gitlab-deployer")
    sc.change(-1970, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "fax-gateway:88", "gitlab-deployer")
    sc.expect = {"alarm": "ward-portal-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": dd}]}
    meta(sc, alarm_pos="front (ALB)", services=["ALB", "ECS (PHP/Laravel)", "RDS Postgres"],
         decoys=["fax-gateway deploy 2 min before onset", "handover report job starting at 19:00",
                 "shift-change traffic bump (1.6x)", "MLLP timeouts and CSRF 419s all evening"],
         story=(
             "At the 19:00 shift change the ward portal starts answering 5xx. The shift-change traffic "
             "rise is only about 1.6x and the handover report job finishes with no failures. The "
             "fax-gateway deploy two minutes earlier touches a service with no link to these errors. "
             "The Laravel errors are `SQLSTATE[08006] ... FATAL: sorry, too many clients already` / "
             "`remaining connection slots are reserved`. The same FATALs appear in the Postgres log, "
             "and `DatabaseConnections` is pinned at ~395-400 of `max_connections` 400 while DB CPU "
             "stays around 50 %. The MLLP timeouts and CSRF warnings run at the same rate for all six hours."))
    return sc


def build_02():
    sc = new_scenario(2, "lab-batch-ingest", "Lab observation ingest worker erroring during the "
                      "03:10 LIS batch; Lambda Errors alarm.", "eu-central-1", 6602,
                      "2026-03-10T03:31:00+00:00")
    T0, DEPLOY = -1260, -2160  # batch 03:10, deploy 02:55
    fn, fan, aud = "obs-ingest-worker", "lis-batch-fanout", "audit-trail-forwarder"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=60, memory_size=512,
                trigger="sqs:lis-results-inbound")
    sc.resource("lambda", fan, runtime="nodejs20.x", timeout=300, memory_size=256,
                schedule="cron(10 * * * ? *)")
    sc.resource("lambda", aud, runtime="python3.12", timeout=120, memory_size=1024,
                schedule="cron(0 3 * * ? *)")
    batch = lambda t: 1.0 if (sc.at(t).minute - 10) % 60 < 12 else 0.0
    inv_f = lambda t: 2.2 + 17 * batch(t) + (10 if t >= T0 else 0)
    err_f = lambda t: (11 * batch(t) + 9) if t >= T0 else 0
    d = {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", d, "Count", inv_f, integer=True)
    err_raw = {t: min(inv[t], max(0, round(err_f(t) * sc.rng.uniform(0.8, 1.2)))) for t in inv}
    sc.metric("AWS/Lambda", "Errors", d, "Count", [err_raw.get(t, 0.0) for t in inv])
    M(sc, "AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 180 + 140 * batch(t), noise=0.1)
    M(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: 1 + 4 * batch(t),
      integer=True)
    M(sc, "AWS/Lambda", "Throttles", d, "Count", lambda t: 0, integer=True)
    df = {"FunctionName": fan}
    M(sc, "AWS/Lambda", "Invocations", df, "Count",
      lambda t: 1 if sc.at(t).minute == 10 else None, integer=True)
    M(sc, "AWS/Lambda", "Duration", df, "Milliseconds",
      lambda t: 41000 if sc.at(t).minute == 10 else None, noise=0.1)
    da = {"FunctionName": aud}
    M(sc, "AWS/Lambda", "Invocations", da, "Count", lambda t: 1 if -1860 <= t < -1500 else
      (1 if sc.at(t).minute % 15 == 0 else None), integer=True)
    M(sc, "AWS/Lambda", "Duration", da, "Milliseconds", lambda t: 95000 if -1860 <= t < -1500 else
      (2100 if sc.at(t).minute % 15 == 0 else None), noise=0.1)
    M(sc, "AWS/Lambda", "Errors", da, "Count", lambda t: 0 if (-1860 <= t < -1500 or
                                                              sc.at(t).minute % 15 == 0) else None)
    # ---- worker logs
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 60, retire=[DEPLOY], prewarm=-14400)
    loinc = ["2345-7", "2160-0", "718-7", "6690-2", "2951-2", "1742-6"]

    def body(ll, s, rid, is_err, cold):
        is_batch = batch(s) > 0 or (s >= T0 and is_err)
        lines = [(0.004, ll.fmt(s, rid, "info", jl({"msg": "received", "source": "sqs",
                                                    "kind": "ORU^R01", "batch": is_batch})))]
        if sc.rng.random() < 0.3:
            lines.append((0.03, ll.fmt(s, rid, "warn", f"OBX-6 units missing for LOINC "
                                       f"{sc.rng.choice(loinc)}; defaulting to reference units")))
        if sc.rng.random() < 0.12:
            lines.append((0.05, ll.fmt(s, rid, "error", "Rejected result: patient MRN not found in "
                                       "MPI, ACK AE sent to LIS")))
        if is_err:
            stack = ["TypeError: Cannot read properties of undefined (reading 'sendingFacility')",
                     "    at normalizeBatchHeader (/var/task/src/batch.js:88:41)",
                     "    at ingestBatchMessage (/var/task/src/ingest.js:142:19)",
                     "    at async Runtime.handler (/var/task/index.js:27:5)"]
            lines.append((0.06, ll.fmt(s, rid, "error", "Invoke Error \t" + jl({
                "errorType": "TypeError", "errorMessage": stack[0][11:], "stack": stack}))))
            return {"lines": lines, "dur": sc.rng.uniform(60, 140)}
        lines.append((0.2, ll.fmt(s, rid, "info", jl({"msg": "stored observations",
                                                      "count": sc.rng.randint(3, 40)}))))
        return {"lines": lines, "dur": sc.rng.uniform(120, 380)}
    ll.run({t: v for t, v in inv.items() if t >= -14400}, err_raw, body)
    # ---- fan-out + audit forwarder logs
    fl = LambdaLogs(sc, fan, "nodejs20.x", 256, 300, prewarm=-14400)
    fl.run({t: 1 for t in minutes(-14400) if sc.at(t).minute == 10}, {}, lambda ll, s, r, e, c: {
        "lines": [(0.01, ll.fmt(s, r, "info", jl({"msg": "LIS batch discovered",
                                                  "files": sc.rng.randint(3, 7)}))),
                  (40, ll.fmt(s + 40, r, "info", jl({"msg": "enqueued",
                                                     "messages": sc.rng.randint(180, 240)})))],
        "dur": sc.rng.uniform(38000, 44000)})
    al = LambdaLogs(sc, aud, "python3.12", 1024, 120, prewarm=-14400, retire=[-1500])
    al.run({t: 1 for t in minutes(-14400) if sc.at(t).minute % 15 == 0 or t == -1860}, {},
           lambda ll, s, r, e, c: {"lines": [(0.02, ll.fmt(s, r, "info", "Forwarding CloudTrail "
                                   f"digest batch size={sc.rng.randint(200, 9000)}"))],
                                   "dur": 94000 if s < -1800 and s > -1900 else 2000})
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 2, 5, "GreaterThanThreshold",
             "Lab observation ingest errors")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", aud, "gh-actions-platform")
    sc.change(DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gh-actions-lis")
    sc.change(DEPLOY + 12, "lambda.amazonaws.com", "PublishVersion20150331",
              "AWS::Lambda::Function", fn, "gh-actions-lis")
    sc.change(-1500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", aud, "j.keller")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta(sc, alarm_pos="origin", services=["Lambda (Node.js 20)"],
         decoys=["config change to audit-trail-forwarder 4 min before onset (closer than the deploy)",
                 "03:00 nightly audit export spike", "steady OBX-6 warnings and MPI rejections"],
         story=(
             "The worker handles a trickle of real-time results plus an hourly LIS batch fanned out "
             "at :10. The 02:10 batch is clean. The code is deployed at 02:55, and the 03:10 batch "
             "fails with a stack trace never seen before (`TypeError ... reading 'sendingFacility' at "
             "normalizeBatchHeader`). SQS redelivery keeps the errors going after the batch. A "
             "configuration change to the audit forwarder is closer to onset, but that function's own "
             "metrics are normal. The `MRN not found` ERROR lines and OBX-6 warnings are handled "
             "and run at the same rate all night."))
    return sc


BUILDERS = [build_01, build_02]
