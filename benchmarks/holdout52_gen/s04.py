"""h52-04: an inline-policy edit on export-svc's task role drops kms:GenerateDataKey."""
from __future__ import annotations

from .common import ACCOUNT, Scenario, alb_dims, ecs_pack, ec2_pack, rds_pack
from .logfmt import pg

ALB = "app/reports-alb/5a0e7c3b2d9f1846"
T_DB, T_DEP, T_IAM, T_DASH, T_TAG = -3000, -2100, -1500, -1300, -800
DB_DOWN, DB_UP = -2990, -2790
ON = T_IAM + 25
KMS = f"arn:aws:kms:eu-central-1:{ACCOUNT}:key/6b1f2c3d-8e4a-4f0b-9c7d-2a5e1b3f4c6d"


def build():
    s = Scenario(4, "export-svc-kms-deny", "eu-central-1", "2026-05-12T09:30:00",
                 "Analysts cannot create new report exports ('Something went wrong'); the reports ALB "
                 "5XX alarm is in ALARM. Several changes went out this morning.")
    s.resource("alb", ALB, name="reports-alb", scheme="internal")
    s.resource("ecs", "analytics/export-svc", launch_type="FARGATE", runtime="Python 3.12 / FastAPI",
               task_role="export-svc-task-role", log_groups=["/ecs/export-svc"], desired_count=3,
               export_bucket="acme-report-exports (SSE-KMS alias/report-exports)")
    s.resource("ecs", "analytics/dashboard-web", launch_type="FARGATE", runtime="Ruby 3.3 / Rails 7.1",
               desired_count=2)
    s.resource("rds", "analytics-db", engine="postgres", engine_version="15.6",
               instance_class="db.m6g.xlarge", multi_az=True, max_connections=800,
               allocated_storage_gb=500)
    s.resource("ec2", "i-0e4c8a2b6d1f39057", name="etl-runner-1", instance_type="m6i.large")

    req = s.series(lambda t: s.count(310 * (0.55 + 0.45 * min(1.0, (t + 21600) / 19000))))
    posts = {t: s.count(req[t] * 0.12) for t in req}
    e5 = {}
    for t in req:
        v = 1.0 if s.rng.random() < 0.05 else 0.0
        if DB_DOWN <= t < DB_UP + 60:
            v += s.count(5)
        if t >= ON:
            v += posts[t]
        e5[t] = v
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", e5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count",
             s.series(lambda t: 1.0 if (T_DEP <= t < T_DEP + 240 and s.rng.random() < 0.4) else 0.0),
             integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds",
             {t: 0.34 + s.noise(0.04) - (0.12 * posts[t] / max(req[t], 1) if t >= ON else 0)
              + (1.5 if DB_DOWN <= t < DB_UP else 0) for t in req}, nd=4)

    def exp_tasks(t):
        return 6.0 if T_DEP + 30 <= t < T_DEP + 330 else 3.0
    ecs_pack(s, "analytics", "export-svc", s.series(lambda t: 19 + s.noise(2.5) + (9 if T_DEP <= t < T_DEP + 330 else 0)),
             s.series(lambda t: 38 + s.noise(1.5) + (3 if t < T_DEP else 0)), s.series(exp_tasks),
             s.series(lambda t: 3.0))
    ecs_pack(s, "analytics", "dashboard-web", s.series(lambda t: 27 + s.noise(3) + (30 if T_DASH <= t < T_DASH + 240 else 0)),
             s.series(lambda t: 61 + s.noise(1.2)), s.series(lambda t: 2.0 + (2 if T_DASH <= t < T_DASH + 240 else 0)),
             s.series(lambda t: 2.0))
    rds_pack(s, "analytics-db",
             s.series(lambda t: None if DB_DOWN <= t < DB_UP else (44 + s.noise(4) if t < DB_DOWN else 23 + s.noise(3))),
             s.series(lambda t: None if DB_DOWN <= t < DB_UP else 118 + s.noise(6)),
             s.series(lambda t: 201.5e9 + s.noise(5e7)),
             s.series(lambda t: None if DB_DOWN <= t < DB_UP else (5.2e9 if t < DB_DOWN else 11.7e9) + s.noise(8e7)),
             s.series(lambda t: None if DB_DOWN <= t < DB_UP else 0.0014 + abs(s.noise(0.0003))))
    ec2_pack(s, "i-0e4c8a2b6d1f39057", s.series(lambda t: 12 + s.noise(3), step=300, start=-43200, end=-300),
             s.series(lambda t: 2.1e7 + s.noise(3e6), step=300, start=-43200, end=-300),
             s.series(lambda t: 0.0, step=300, start=-43200, end=-300), step=300, start=-43200, end=-300)

    # ---- export-svc task logs (python logging + uvicorn access log)
    def pylog(t, level, logger, msg):
        return f"{s.stamp(t, '%Y-%m-%d %H:%M:%S')},{s.at(t).microsecond // 1000:03d} {level} [{logger}] {msg}"

    def access(t, method, path, code, phrase):
        return (f'INFO:     10.40.{s.rng.randint(1, 6)}.{s.rng.randint(2, 250)}:{s.rng.randint(30000, 65000)} - '
                f'"{method} {path} HTTP/1.1" {code} {phrase}')

    def task(a, b, version):
        rid = s.hex(32)
        ev = [] if a <= -10800 else [
            (a, "INFO:     Started server process [1]"), (a + 0.1, "INFO:     Waiting for application startup."),
            (a + 1.4, pylog(a + 1.4, "INFO", "export_svc", f"export-svc {version} starting, "
                            "bucket=acme-report-exports kms_key=alias/report-exports db=analytics-db")),
            (a + 1.6, "INFO:     Application startup complete."),
            (a + 1.7, "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)")]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(req[t] / 3 * 0.1))):
                tt = t + s.rng.uniform(0, 59.5)
                ev.append((tt, access(tt, "GET", f"/exports/exp_{s.hex(8)}", 200, "OK")))
            if s.rng.random() < 0.2:
                tt = t + s.rng.uniform(0, 59.5)
                ev.append((tt, access(tt, "GET", "/healthz", 200, "OK")))
            for _ in range(int(s.count(posts[t] / 3 * 0.5))):
                tt = t + s.rng.uniform(0, 58)
                eid = f"exp_{s.hex(8)}"
                rows = s.rng.randint(200, 90000)
                if DB_DOWN <= tt < DB_UP:
                    ev.append((tt + 0.3, pylog(tt + 0.3, "ERROR", "export_svc.api", f"export {eid} failed\nTraceback (most recent call last):\n"
                               '  File "/app/export_svc/api.py", line 74, in create_export\n    rows = await db.fetch_report(spec)\n'
                               '  File "/app/export_svc/db.py", line 52, in fetch_report\n    await cur.execute(sql, params)\n'
                               "psycopg.OperationalError: consuming input failed: server closed the connection unexpectedly\n"
                               "\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.")))
                    ev.append((tt + 0.31, access(tt, "POST", "/exports", 500, "Internal Server Error")))
                    continue
                ev.append((tt + 0.4, pylog(tt + 0.4, "INFO", "export_svc.jobs", f"export {eid} query done rows={rows}")))
                if tt >= ON:
                    sess = s.hex(32)
                    ev.append((tt + 0.9, pylog(tt + 0.9, "ERROR", "export_svc.api", f"export {eid} failed\nTraceback (most recent call last):\n"
                               '  File "/app/export_svc/api.py", line 88, in create_export\n    url = await storage.put_csv(key, body)\n'
                               '  File "/app/export_svc/storage.py", line 41, in put_csv\n'
                               "    await asyncio.to_thread(self._s3.put_object, Bucket=self.bucket, Key=key, Body=body,\n"
                               '  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n'
                               "    raise error_class(parsed_response, operation_name)\n"
                               "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject "
                               f"operation: User: arn:aws:sts::{ACCOUNT}:assumed-role/export-svc-task-role/{sess} is not "
                               f"authorized to perform: kms:GenerateDataKey on resource: {KMS} because no identity-based "
                               "policy allows the kms:GenerateDataKey action")))
                    ev.append((tt + 0.91, access(tt, "POST", "/exports", 500, "Internal Server Error")))
                else:
                    ev.append((tt + 0.8, pylog(tt + 0.8, "INFO", "export_svc.storage",
                                               f"wrote s3://acme-report-exports/{s.stamp(tt, '%Y/%m/%d')}/{eid}.csv "
                                               f"bytes={rows * 118} sse=aws:kms")))
                    ev.append((tt + 0.81, access(tt, "POST", "/exports", 201, "Created")))
            if DB_UP <= t < DB_UP + 60:
                ev.append((t + 5, pylog(t + 5, "WARNING", "export_svc.db", "connection pool recovered after 11 failed checks")))
        if b < 0:
            ev.append((b, "INFO:     Shutting down"))
            ev.append((b + 0.3, "INFO:     Finished server process [1]"))
        return f"export-svc/export-svc/{rid}", ev

    for i in range(3):
        name, ev = task(-10800 - i * 7, T_DEP + 300 + i * 10, "3.7.4")
        s.log("/ecs/export-svc", name, ev)
    for i in range(3):
        name, ev = task(T_DEP + 30 + i * 8, 0, "3.8.0")
        s.log("/ecs/export-svc", name, ev)

    # ---- postgres log for analytics-db
    ev = []
    for t in range(-21600, 0, 300):
        if DB_DOWN - 300 < t < DB_UP:
            continue
        ev.append((t + 7, pg(s, t + 7, "@", 412, "LOG", f"checkpoint complete: wrote {s.rng.randint(800, 4000)} buffers "
                              f"({s.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled")))
    ev += [(DB_DOWN - 4, pg(s, DB_DOWN - 4, "@", 389, "LOG", "received fast shutdown request")),
           (DB_DOWN - 3, pg(s, DB_DOWN - 3, "@", 389, "LOG", "aborting any active transactions")),
           (DB_DOWN - 1, pg(s, DB_DOWN - 1, "@", 389, "LOG", "database system is shut down")),
           (DB_UP - 20, pg(s, DB_UP - 20, "@", 402, "LOG", "starting PostgreSQL 15.6 on aarch64-unknown-linux-gnu")),
           (DB_UP - 2, pg(s, DB_UP - 2, "@", 402, "LOG", "database system is ready to accept connections"))]
    s.log("/aws/rds/instance/analytics-db/postgresql", "analytics-db.0", ev)

    # ---- changes
    s.change(-6300, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "github-oidc-deploy",
             "terraform-ci")
    s.change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-db", "dba-s.keller")
    s.change(T_DEP - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "export-svc:57", "github-actions")
    s.change(T_DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "analytics/export-svc",
             "github-actions")
    s.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "export-svc-task-role", "terraform-ci")
    s.change(T_DASH, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "analytics/dashboard-web",
             "github-actions")
    s.change(T_TAG, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", "i-0e4c8a2b6d1f39057", "finops-bot")

    a = s.alarm("reports-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Sum", 60,
                3, 10, "GreaterThanThreshold", expect_state="ALARM", description="Reports ALB target 5XX")
    s.alarm("analytics-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "analytics-db"},
            "Average", 300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    s.alarm("dashboard-web-cpu-high", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "analytics", "ServiceName": "dashboard-web"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", expect_state="OK")
    res = ["analytics/export-svc", "export-svc", "export-svc-task-role"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "permission_denied", "resource": res},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="permission_denied", resources=res,
                where="front (ALB; origin is export-svc's task role)",
                decoys="analytics-db instance-class change with a 3-minute failover blip (small 5XX bump, "
                       "psycopg errors, resolved 25 min before onset); export-svc 3.8.0 deploy 10 min before the "
                       "IAM edit; dashboard-web deploy; CreateTags on an EC2 host; earlier IAM trust-policy edit "
                       "on a CI role",
                story="Three larger changes precede the incident: analytics-db moves to a bigger class (a brief "
                      "Multi-AZ failover produces psycopg 'server closed the connection' errors and a small 5XX "
                      "bump, fully recovered), export-svc rolls out 3.8.0 which keeps writing exports for ten "
                      "minutes, and dashboard-web deploys just after the onset. The small one, a terraform "
                      "PutRolePolicy on export-svc-task-role, lands 25 s before every POST /exports starts "
                      "failing with `AccessDenied ... is not authorized to perform: kms:GenerateDataKey ... because "
                      "no identity-based policy allows the kms:GenerateDataKey action` while reads keep working. "
                      "That is permission_denied; the origin is the export-svc service (its task role).")
    return doc, meta
