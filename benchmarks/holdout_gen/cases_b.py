"""Hold-out cases 03-05: IAM change behind an ALB, Postgres lock contention, MySQL connection exhaustion."""
from __future__ import annotations

import json

from .kit import Scenario, bump, iso, lambda_request, lambda_stream, pg, ramp, sample_times, spring, wave

ACCOUNT = "381492650127"


def hold_03() -> Scenario:
    """An IAM policy rewrite drops s3:GetObject for the app role; downloads 500 behind the ALB."""
    sc = Scenario("hold-03-docvault-downloads", "DocVault users cannot download documents; ALB 5XX alarm. Uploads "
                  "seem fine.", "ap-southeast-2", seed=303)
    alb = "app/docvault-alb/1e9d7b3c5a2f4068"
    web = {"i-0c3b7a1e9f2d4a611": "docvault-web-a", "i-05d8e2c4b6a1f9037": "docvault-web-b"}
    etl = "i-09a1b2c3d4e5f6a7b"
    iam_t, onset = -2175, -2160
    sc.resource("alb", alb, name="docvault-alb", scheme="internet-facing")
    for iid, name in web.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", iam_instance_profile="docvault-app-role",
                    log_groups=["/docvault/app"])
    sc.resource("ec2", etl, name="etl-runner-1", instance_type="c6i.2xlarge")
    sc.resource("rds", "docvault-meta", engine="postgres", instance_class="db.r6g.large", max_connections=1700,
                allocated_storage_gb=100)

    req = lambda t: 610 * wave(t, 10800, 0.1, 2.0)
    dl_share = 0.19
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.3 + (req(t) * dl_share if t >= onset else 0), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: req(t) * 0.02, count=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.21 - (0.07 if t >= onset else 0), rel=0.12, digits=4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb,
              "TargetGroup": "targetgroup/docvault-web/8d7c6b5a4f3e2d1c"}, "Count", lambda t: 2, digits=0)
    for iid in web:
        sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", lambda t: 23 * wave(t, 10800, 0.1, 2.0),
                  rel=0.1)
        sc.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t: 61, rel=0.015)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": etl}, "Percent", lambda t: 8 + bump(t, -2760, -1500, 86),
              sd=2.5, hi=100)
    sc.metric("AWS/EC2", "NetworkOut", {"InstanceId": etl}, "Bytes", lambda t: 4e6 + bump(t, -2760, -1500, 9.5e8),
              rel=0.1, digits=0)
    db = {"DBInstanceIdentifier": "docvault-meta"}
    sc.metric("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: 11 + bump(t, -2760, -1500, 14), rel=0.1)
    sc.metric("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: 34, sd=2, digits=0)
    sc.metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 6.1e10 - (t + 10800) * 2e4, rel=0.0005, digits=0)

    sc.change(-2700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "docvault-meta",
              "j.whitfield")
    sc.change(-2410, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", etl, "j.whitfield")
    sc.change(-2190, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "docvault-data-access",
              "tf-apply-prod")
    sc.change(iam_t, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "docvault-app-role", "tf-apply-prod")

    pid = {"i-0c3b7a1e9f2d4a611": 2417, "i-05d8e2c4b6a1f9037": 2388}
    for iid in web:
        ev = []
        for t in sample_times(sc, -5400, -60, 2.6):
            th = f"nio-8080-exec-{sc.rng.randint(1, 60)}"
            doc = f"d_{sc.hexid(10)}"
            tenant = sc.rng.choice(["t-0192", "t-0457", "t-1180", "t-2203"])
            kind = sc.rng.random()
            head = f"{spring(t)} %s {pid[iid]} --- [{th}] "
            if kind < 0.4:
                if t >= onset:
                    rid = sc.hexid(16).upper()
                    exc = (f"software.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::{ACCOUNT}:"
                           f"assumed-role/docvault-app-role/{iid} is not authorized to perform: s3:GetObject on "
                           f"resource: \"arn:aws:s3:::docvault-prod-store/tenants/{tenant}/{doc}.pdf\" because no "
                           "identity-based policy allows the s3:GetObject action (Service: S3, Status Code: 403, "
                           f"Request ID: {rid})")
                    ev.append((t, head % "ERROR" + "o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for "
                               "servlet [dispatcherServlet] in context with path [] threw exception [Request processing"
                               f" failed: {exc}] with root cause\n\n{exc}\n"
                               "\tat software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)\n"
                               "\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"
                               "\tat software.amazon.awssdk.services.s3.DefaultS3Client.getObject(DefaultS3Client.java:5186)\n"
                               "\tat com.acme.docvault.storage.S3DocumentStore.open(S3DocumentStore.java:71)\n"
                               "\tat com.acme.docvault.web.DownloadController.download(DownloadController.java:48)"))
                else:
                    ev.append((t, head % " INFO" + f"c.a.docvault.web.DownloadController      : streamed doc={doc} "
                               f"tenant={tenant} bytes={sc.rng.randint(40_000, 9_000_000)}"))
            elif kind < 0.5:
                ev.append((t, head % " INFO" + f"c.a.docvault.web.UploadController        : stored doc={doc} "
                           f"tenant={tenant} key=tenants/{tenant}/{doc}.pdf"))
            elif kind < 0.56:
                ev.append((t, head % "ERROR" + f"c.a.docvault.thumbs.ThumbnailService     : thumbnail generation "
                           f"failed for doc={doc}\njavax.imageio.IIOException: Unsupported Image Type\n"
                           "\tat java.desktop/com.sun.imageio.plugins.jpeg.JPEGImageReader.readInternal(JPEGImageReader.java:1217)\n"
                           "\tat com.acme.docvault.thumbs.ThumbnailService.render(ThumbnailService.java:93)"))
            elif kind < 0.6:
                ev.append((t, head % " WARN" + "o.s.w.s.m.s.DefaultHandlerExceptionResolver : Resolved "
                           "[org.springframework.web.HttpRequestMethodNotSupportedException: Request method 'HEAD' "
                           "is not supported]"))
            else:
                ev.append((t, head % " INFO" + f"c.a.docvault.web.SearchController        : search tenant={tenant} "
                           f"hits={sc.rng.randint(0, 400)} took={sc.rng.randint(8, 90)}ms"))
        sc.log("/docvault/app", iid, ev)

    sc.alarm("docvault-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             statistic="Sum", period=60, evaluation_periods=2, threshold=25, state_changed=onset + 130)
    sc.expect("docvault-alb-5xx", "permission_denied",
              ["docvault-app-role", "docvault-data-access", *web.keys(), *web.values()],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}])
    sc.notes = {"cause": "PutRolePolicy on docvault-app-role (terraform) drops s3:GetObject -> S3 AccessDenied on "
                         "downloads from both web instances",
                "decoys": "ModifyDBInstance on docvault-meta 9 min before onset; ModifyInstanceAttribute + nightly ETL "
                          "CPU/network spike on etl-runner-1 spanning onset (plus small RDS CPU bump); steady "
                          "thumbnail IIOException errors and HEAD-method warnings"}
    return sc


def hold_04() -> Scenario:
    """A manual non-concurrent CREATE INDEX blocks inserts; Java API behind ALB times out."""
    sc = Scenario("hold-04-ledger-api-latency", "Ledger API extremely slow, clients timing out; ALB p99 latency "
                  "alarm.", "eu-west-2", seed=404)
    alb = "app/tally-api-prod/4b2e8d1f6a9c3075"
    onset = -2100
    sc.resource("alb", alb, name="tally-api-prod", scheme="internal")
    sc.resource("ecs", "tally/ledger-api", launch_type="FARGATE", desired_count=4, cpu=2048, memory=4096,
                task_definition="ledger-api:77")
    sc.resource("ecs", "tally/statement-worker", launch_type="FARGATE", desired_count=2,
                task_definition="statement-worker:31")
    sc.resource("rds", "tally-pg-prod", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                max_connections=3400, allocated_storage_gb=500, multi_az=True)
    sc.resource("lambda", "tally-fx-refresh", runtime="java17", timeout=60, memory_size=1024)

    req = lambda t: 1480 * wave(t, 10800, 0.07) * (1.12 if t >= onset else 1.0)
    blocked = lambda t: 1.0 if t >= onset + 40 else 0.0
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.058 + 21.0 * blocked(t) * ramp(t, onset, onset + 240, 0.3, 1.0), rel=0.12, digits=4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.5 + req(t) * 0.47 * blocked(t) * ramp(t, onset, onset + 300, 0.2, 1.0), count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.1 + 26 * blocked(t), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb,
              "TargetGroup": "targetgroup/ledger-api/3c4d5e6f7a8b9c0d"}, "Count", lambda t: 4, digits=0)
    api = {"ClusterName": "tally", "ServiceName": "ledger-api"}
    sc.metric("AWS/ECS", "CPUUtilization", api, "Percent", lambda t: 41 - 27 * blocked(t), rel=0.1)
    sc.metric("AWS/ECS", "MemoryUtilization", api, "Percent", lambda t: 58 + 4 * blocked(t), rel=0.02)
    wk = {"ClusterName": "tally", "ServiceName": "statement-worker"}
    sc.metric("AWS/ECS", "CPUUtilization", wk, "Percent", lambda t: 19 + bump(t, -2560, -2250, 55, 60), rel=0.1)
    sc.metric("AWS/ECS", "MemoryUtilization", wk, "Percent", lambda t: 44 + bump(t, -2560, -2250, 10, 60), rel=0.03)
    db = {"DBInstanceIdentifier": "tally-pg-prod"}
    sc.metric("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: 27 + 19 * blocked(t), rel=0.08)
    sc.metric("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: 118 + 54 * blocked(t), sd=3, digits=0)
    sc.metric("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: 900 + 5200 * blocked(t), rel=0.1)
    sc.metric("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: 1400 + 1800 * blocked(t), rel=0.1)
    sc.metric("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: 0.0011 + 0.0016 * blocked(t), rel=0.15, digits=5)
    sc.metric("AWS/RDS", "WriteLatency", db, "Seconds", lambda t: 0.0019 + 0.0011 * blocked(t), rel=0.15, digits=5)
    sc.metric("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: 1.21e10 - 9e8 * blocked(t), rel=0.01, digits=0)
    sc.metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 3.02e11 - 4e9 * blocked(t) * ramp(t, onset, -60, 0, 1),
              rel=0.0005, digits=0)
    sc.metric("AWS/Lambda", "Invocations", {"FunctionName": "tally-fx-refresh"}, "Count",
              lambda t: 1 if int(t) % 300 == 0 else 0, digits=0)

    sc.change(-2580, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "statement-worker",
              "deploy-bot")
    sc.change(-2565, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tally/statement-worker",
              "deploy-bot")
    sc.change(-7300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "tally-fx-refresh", "a.mensah")

    # ---- app logs (Spring Boot text), 4 tasks
    exc_to = ("org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [insert into "
              "ledger_entries (account_id, amount_minor, currency, external_ref, idem_key) values (?, ?, ?, ?, ?)]; "
              "ERROR: canceling statement due to statement timeout\n"
              "\tat org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:99)\n"
              "\tat org.springframework.jdbc.core.JdbcTemplate.translateException(JdbcTemplate.java:1575)\n"
              "\tat com.tally.ledger.repo.EntryRepository.insert(EntryRepository.java:64)\n"
              "Caused by: org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout\n"
              "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)")
    exc_pool = ("org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
                "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)\n"
                "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                "request timed out after 30001ms (total=20, active=20, idle=0, waiting=57)\n"
                "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)")
    exc_dup = ("org.springframework.dao.DuplicateKeyException: PreparedStatementCallback; ERROR: duplicate key value "
               "violates unique constraint \"ledger_entries_idem_key\"\n  Detail: Key (idem_key)=(%s) already exists.")
    for task in range(4):
        ev = []
        for t in sample_times(sc, -5400, -60, 2.4):
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
            head = f"{spring(t)} %s 1 --- [{th}] "
            r = sc.rng.random()
            if t >= onset + 40 and r < 0.55:
                if sc.rng.random() < 0.7:
                    ev.append((t + 30, head % "ERROR" + "c.t.ledger.api.ApiExceptionHandler       : POST /v1/entries "
                               "failed after 30004 ms\n" + exc_to))
                else:
                    ev.append((t + 30, head % "ERROR" + "c.t.ledger.api.ApiExceptionHandler       : GET /v1/accounts/"
                               f"{sc.rng.randint(10**5, 10**6)}/balance failed\n" + exc_pool))
            elif r < 0.03:
                ev.append((t, head % "ERROR" + "c.t.ledger.api.ApiExceptionHandler       : POST /v1/entries "
                           "rejected (409)\n" + exc_dup % sc.hexid(20)))
            elif r < 0.09:
                pair = sc.rng.choice(["GBP/JPY", "EUR/PLN", "USD/HKD"])
                ev.append((t, head % " WARN" + f"c.t.ledger.fx.FxQuoteCache               : FX quote stale for {pair} "
                           f"(age {sc.rng.randint(61, 140)}s), using cached rate"))
            else:
                ev.append((t, head % " INFO" + f"c.t.ledger.api.RequestLog               : {sc.rng.choice(['GET', 'GET', 'POST'])}"
                           f" /v1/{sc.rng.choice(['entries', 'accounts', 'transfers'])} 200 {sc.rng.randint(9, 80)}ms"))
        sc.log("/ecs/tally/ledger-api", f"ledger-api/ledger-api/{sc.hexid()}", ev)

    # ---- postgres log
    pev = []
    for t in range(-10800, -60, 300):
        pev.append((t + 7, f"{pg(t + 7)}::@:[612]:LOG:  checkpoint starting: time"))
        pev.append((t + 42, f"{pg(t + 42)}::@:[612]:LOG:  checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
                            f"buffers ({sc.rng.uniform(0.2, 1.5):.1f}%); 0 WAL file(s) added, 0 removed, "
                            f"{sc.rng.randint(1, 4)} recycled; write={sc.rng.uniform(20, 30):.3f} s"))
    for t in sample_times(sc, -10800, -60, 0.6):
        pev.append((t, f"{pg(t)}:10.20.{sc.rng.randint(1, 8)}.{sc.rng.randint(10, 250)}({sc.rng.randint(30000, 60000)}):"
                       f"ledger_app@tally:[{sc.rng.randint(2000, 32000)}]:ERROR:  duplicate key value violates unique "
                       "constraint \"ledger_entries_idem_key\""))
    pev.append((onset - 12, f"{pg(onset - 12)}:10.20.250.17(51544):dba_oncall@tally:[27911]:LOG:  connection "
                            "authorized: user=dba_oncall database=tally application_name=psql SSL enabled"))
    for t in sample_times(sc, onset + 1, -60, 9):
        w = sc.rng.randint(28000, 31999)
        pev.append((t, f"{pg(t)}:10.20.{sc.rng.randint(1, 8)}.{sc.rng.randint(10, 250)}({sc.rng.randint(30000, 60000)}):"
                       f"ledger_app@tally:[{w}]:LOG:  process {w} still waiting for RowExclusiveLock on relation "
                       f"16734 of database 16401 after 1000.{sc.rng.randint(10, 99)} ms\nDETAIL:  Process holding the "
                       f"lock: 27911. Wait queue: {w}, {w + 7}, {w + 13}.\nSTATEMENT:  insert into ledger_entries "
                       "(account_id, amount_minor, currency, external_ref, idem_key) values ($1, $2, $3, $4, $5)"))
        if sc.rng.random() < 0.6:
            pev.append((t + 29, f"{pg(t + 29)}:10.20.3.41(40212):ledger_app@tally:[{w}]:ERROR:  canceling statement "
                                "due to statement timeout\nCONTEXT:  while inserting index tuple (0,0) in relation "
                                "\"ledger_entries\"\nSTATEMENT:  insert into ledger_entries (account_id, amount_minor, "
                                "currency, external_ref, idem_key) values ($1, $2, $3, $4, $5)"))
    sc.log("/aws/rds/instance/tally-pg-prod/postgresql", "tally-pg-prod.0", pev)

    sc.alarm("tally-api-latency-p99", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             statistic="p99", period=60, evaluation_periods=3, threshold=2.0, state_changed=onset + 260,
             description="ledger API p99 > 2 s")
    sc.expect("tally-api-latency-p99", "dependency_failure", ["tally-pg-prod"],
              [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": alb}}])
    sc.notes = {"cause": "manual CREATE INDEX (non-concurrent) by dba_oncall on ledger_entries blocks inserts; "
                         "statement timeouts and Hikari pool starvation in ledger-api; DB far from max_connections",
                "decoys": "statement-worker ECS deploy 8 min before onset with CPU/memory spike; steady duplicate-key "
                          "errors in both app and postgres logs; steady FX-stale warnings; Hikari 'pool' wording"}
    return sc


CASES = [hold_03, hold_04]
