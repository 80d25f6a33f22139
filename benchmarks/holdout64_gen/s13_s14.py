"""h64-13 (Tomcat fleet on a PostgreSQL RDS, reporting host) and h64-14 (API GW -> Lambda -> MySQL RDS)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .estate import (alb, apigw, catalina, ec2, emit, every, iid, lam, log4j, pylog, rds, syslog)
from .runtimes import LambdaLogs, mysql, pg


def s13() -> Scenario:
    sc = Scenario(13, "policy-portal-slow",
                  "Policy servicing portal very slow; ALB latency alarm paged.",
                  "ap-south-1", 6413, "2026-05-27T06:40:00")
    rng = sc.rng
    onset, agent, deploy = -2600, -2720, -10900
    a1, a2, rpt = iid(sc), iid(sc), iid(sc)
    names = {a1: "pol-app-1", a2: "pol-app-2", rpt: "mis-rpt-01"}
    hot = lambda t: ramp(t, onset, onset + 240)
    load = lambda t: 430 * diurnal(sc, t, 6, .3)
    for h in (a1, a2):
        ec2(sc, h, names[h], "m5.large", lambda t: 26 * diurnal(sc, t, 6, .3) * (1 - 0.35 * hot(t)) + bump(t, deploy, deploy + 240, 30, 30) + (h == a1) * bump(t, agent, agent + 90, 25, 20),
            lambda t: 66.0 + 6 * hot(t), lambda t: 49.0, log_groups=["/policy/app", "/policy/tomcat/catalina.out"])
    ec2(sc, rpt, names[rpt], "r5.large", lambda t: 4 + 5 * hot(t), lambda t: 28 + 7 * hot(t), lambda t: 44.0,
        log_groups=["/mis/extract", "/var/log/cron"])
    lb = alb(sc, "policy-portal", load, lambda t: 1.4 + 0.03 * load(t) * hot(t), lambda t: 0.19 + 3.9 * hot(t), lambda t: 2.0)
    rds(sc, "polcore-pg", "postgres", "db.m6g.large", 400, 500, lambda t: 27 * diurnal(sc, t, 6, .3) + 71 * hot(t),
        lambda t: 118 + 24 * hot(t), lambda t: 302.0, rlat=lambda t: 0.0014 + 0.011 * hot(t), mem_gb=lambda t: 2.9 - 0.5 * hot(t))
    thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"
    for h in (a1, a2):
        emit(sc, "/policy/app", h, lambda t: 3.0, lambda t: log4j(sc, t, "INFO" if hot(t) < 0.5 else "WARN", thr(), "in.pol.web.SlowRequestFilter" if hot(t) >= 0.5 else "in.pol.web.AccessLog",
             f"GET /policy/{rng.randint(10 ** 7, 10 ** 8)}/summary took {int(rng.gauss(180, 50) if hot(t) < 0.5 else rng.uniform(2500, 9800))} ms"), start=-14400)
        emit(sc, "/policy/app", h, lambda t: 0.4 * hot(t), lambda t: log4j(sc, t, "ERROR", thr(), "in.pol.repo.PolicyDao",
             "org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout"), start=onset)
        emit(sc, "/policy/tomcat/catalina.out", h, lambda t: 0.8, lambda t: catalina(sc, t, "SEVERE", thr(), "org.apache.catalina.core.StandardWrapperValve.invoke",
             "Servlet.service() for servlet [dispatcher] threw exception org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe"), start=-14400)
        sc.log("/policy/tomcat/catalina.out", h, deploy + 50, catalina(sc, deploy + 50, "INFO", "main", "org.apache.catalina.startup.HostConfig.deployWAR", "Deployment of web application archive [/opt/tomcat/webapps/ROOT.war] has finished in [16,221] ms"))
    pgg, pgs = "/aws/rds/instance/polcore-pg/postgresql", "polcore-pg.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4000)} buffers ({rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=611), start=-21600)
    emit(sc, pgg, pgs, lambda t: 0.25 + 6 * hot(t), lambda t: pg(sc, t, "LOG", f"duration: {rng.uniform(1000, 2400) if hot(t) < 0.5 else rng.uniform(3000, 14900):.3f} ms  execute S_7: SELECT p.* FROM policy p WHERE p.policy_no = $1",
         client=f"{sc.ip('10.44')}({rng.randint(30000, 60000)})", user="polapp", db="polcore"), start=-21600)
    for q in range(6):
        tt = onset + 600 + q * 290
        if tt < 0:
            sc.log(pgg, pgs, tt, pg(sc, tt, "LOG", f"duration: {(tt - onset + 30) * 1000 + rng.uniform(0, 999):.3f} ms  statement: SELECT t.branch_code, t.product_code, date_trunc('day', t.txn_ts), sum(t.premium), count(DISTINCT t.policy_no) FROM policy_txn t JOIN policy p ON p.policy_no = t.policy_no WHERE t.txn_ts >= '2026-01-01' GROUP BY 1, 2, 3",
                                     client=f"10.44.9.18({rng.randint(30000, 60000)})", user="mis_reader", db="polcore"))
    sc.log("/var/log/cron", rpt, onset - 40, syslog(sc, onset - 40, "ip-10-44-9-18", "CROND", "(mis) CMD (/opt/mis/bin/quarterly_mis_extract.sh --quarter 2026Q1 --parallel 6)", pid=22871))
    every(sc, "/var/log/cron", rpt, 3600, lambda t: syslog(sc, t, "ip-10-44-9-18", "CROND", "(root) CMD (run-parts /etc/cron.hourly)", pid=rng.randint(2000, 30000)), start=-21000)
    sc.log("/mis/extract", rpt, onset - 35, pylog(sc, onset - 35, "INFO", "mis.extract", "quarter 2026Q1: launching 6 extract queries against polcore (read-write primary; replica not configured)"))
    every(sc, "/mis/extract", rpt, 300, lambda t: pylog(sc, t, "INFO", "mis.extract", f"waiting on {max(1, 6 - int((t - onset - 600) // 290))} queries, elapsed {int(t - onset)}s"), start=onset + 60)
    sc.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "policy-portal-prod", "azure-devops")
    sc.change(agent, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", a1, "r.iyer")
    sc.alarm("policy-portal-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 2.0,
             "GreaterThanThreshold", "Policy portal response time")
    sc.expect = {"alarm": "policy-portal-latency", "root_cause": {"category": "cpu_saturation", "resource": ["polcore-pg"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": "polcore-pg"}}]}
    sc.meta = {"front": "front (ALB -> Tomcat -> RDS)", "decoys": "SSM command on pol-app-1 2 min before onset; CodeDeploy 2.3 h earlier; ClientAbortException SEVERE lines all along; a few statement-timeout errors after onset",
               "story": "`policy-portal` TargetResponseTime rises from ~0.2 s to ~4 s. An SSM command (agent package update) ran on pol-app-1 two minutes before, but pol-app-2 is just as slow and neither host is busy (their CPU drops). `polcore-pg` CPUUtilization goes from ~30 % to ~98 % at the onset, 40 s after cron on mis-rpt-01 launched `quarterly_mis_extract.sh --parallel 6` against the primary; the PostgreSQL log shows the app's point lookups going from ~1 s outliers to 3-15 s and the extract's aggregate queries finishing after many minutes. Connections stay far below 400 and storage is ample. The Broken-pipe SEVERE lines are old. CPU saturation on the database."}
    return sc


def s14() -> Scenario:
    sc = Scenario(14, "telemetry-api-5xx",
                  "Fleet telemetry API returning 5xx to vehicles; API Gateway alarm.",
                  "us-west-1", 6414, "2026-04-08T15:55:00")
    rng = sc.rng
    etl0, full_at, decoy, fdeploy = -7800, -2000, -2150, -8400
    fn = "telemetry-ingest"
    etl = iid(sc)
    free = lambda t: max(0.0, 15.5 - 0.25 * (t + 21600) / 3600 - 9.0 * max(0.0, t - etl0) / 3600)
    full = lambda t: 1.0 if free(t) <= 0.02 else 0.0
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=512)
    lm = lam(sc, fn, lambda t: 14.0 * diurnal(sc, t, 16, .2), lambda t: 14.0 * diurnal(sc, t, 16, .2) * 0.97 * full(t),
             lambda t: 140.0 + 90 * full(t), conc=lambda t: 1.0 + full(t))
    apigw(sc, "fleet-telemetry", lambda t: 14.0 * diurnal(sc, t, 16, .2) + 1.0, lambda t: 1.0,
          lambda t: 14.0 * diurnal(sc, t, 16, .2) * 0.97 * full(t), lambda t: 175.0 + 90 * full(t), lambda t: 150.0 + 90 * full(t))
    sc.resource("lambda", "fleet-report-mailer", runtime="python3.12", timeout=120, memory_size=256)
    lam(sc, "fleet-report-mailer", lambda t: 0.2, lambda t: 0.0, lambda t: 2200.0)
    rds(sc, "fleetdb", "mysql", "db.m6g.large", 600, 200, lambda t: 17 + 19 * (etl0 <= t < full_at), lambda t: 24.0 + 3 * (t >= etl0),
        free, wlat=lambda t: 0.0024 + 0.004 * (etl0 <= t < full_at))
    ec2(sc, etl, "etl-02", "r5.large", lambda t: 5 + 38 * (etl0 <= t < full_at), lambda t: 31 + 20 * (etl0 <= t < full_at), lambda t: 48.0,
        log_groups=["/etl/jobs", "/var/log/cron"])

    def body(ll, t, rq, e, c):
        n = rng.randint(120, 480)
        lines = [(0.01, ll.fmt(t + 0.01, rq, "INFO", f"batch vin=1FT{sc.hexid(6).upper()} readings={n}"))]
        if rng.random() < 0.08:
            lines.append((0.02, ll.fmt(t + 0.02, rq, "WARN", f"{rng.randint(1, 4)} readings with future timestamps; clamped to receive time")))
        if e:
            lines.append((0.2, ll.fmt(t + 0.2, rq, "ERROR", 'Invoke Error \t{"errorType":"Error","errorMessage":"ER_RECORD_FILE_FULL: The table \'telemetry_raw\' is full","code":"ER_RECORD_FILE_FULL","errno":1114,"sqlState":"HY000","sqlMessage":"The table \'telemetry_raw\' is full","stack":["Error: ER_RECORD_FILE_FULL: The table \'telemetry_raw\' is full","    at Query.Sequence._packetToError (/var/task/node_modules/mysql/lib/protocol/sequences/Sequence.js:47:14)"]}')))
            return {"dur": rng.uniform(180, 320), "lines": lines}
        d = rng.uniform(90, 210)
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000 - 0.01, rq, "INFO", f"inserted {n} rows into telemetry_raw")))
        return {"dur": d, "lines": lines}
    span = lambda k: {m: v for m, v in zip(range(-21600, 0, 60), lm[k]) if m >= -9000 and v}
    LambdaLogs(sc, fn, "nodejs20.x", 512, 30, retire=[fdeploy], mem_used=(118, 6)).run(span("inv"), span("err"), body)
    rg, rs = "/aws/rds/instance/fleetdb/error", "fleetdb"
    emit(sc, rg, rs, lambda t: 0.2, lambda t: mysql(sc, t, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.16')}' could not be resolved: Name or service not known"), start=-21600)
    inno = [("MY-012639", "Write to file ./fleet/telemetry_raw.ibd failed at offset 61203267584, 1048576 bytes should have been written, only 0 were written. Operating system error number 28."),
            ("MY-012888", "Error number 28 means 'No space left on device'"),
            ("MY-012814", "The table 'telemetry_raw' is full")]
    emit(sc, rg, rs, lambda t: 2.0 * full(t), lambda t: mysql(sc, t, rng.randint(2000, 9000), "ERROR", *rng.choice(inno)).replace("[Server]", "[InnoDB]"), start=full_at - 120)
    sc.log("/var/log/cron", etl, etl0 - 2, syslog(sc, etl0 - 2, "ip-10-16-8-2", "CROND", "(etl) CMD (/opt/etl/bin/backfill.sh --source s3://fleet-archive/2025/ --table staging.telemetry_backfill)", pid=9122))
    every(sc, "/var/log/cron", etl, 3600, lambda t: syslog(sc, t, "ip-10-16-8-2", "CROND", "(root) CMD (run-parts /etc/cron.hourly)", pid=rng.randint(2000, 30000)), start=-21000)
    every(sc, "/etl/jobs", etl, 600, lambda t: pylog(sc, t, "INFO", "etl.backfill", f"loaded {int((t - etl0) * 2100):,} rows into staging.telemetry_backfill"), start=etl0 + 300, end=full_at)
    sc.log("/etl/jobs", etl, full_at + 30, pylog(sc, full_at + 30, "ERROR", "etl.backfill", "LOAD DATA failed: (1114, \"The table 'telemetry_backfill' is full\"); aborting, staged rows kept for resume"))
    sc.change(fdeploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-fleet")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "fleet-report-mailer", "a.khan")
    sc.alarm("fleet-telemetry-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "fleet-telemetry", "Stage": "prod"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Telemetry API 5xx")
    sc.alarm("telemetry-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "fleet-telemetry-5xx", "root_cause": {"category": "storage_exhaustion", "resource": ["fleetdb"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": "fleetdb"}}]}
    sc.meta = {"front": "front (API GW -> Lambda -> RDS)", "decoys": "config update on fleet-report-mailer 2.5 min before onset; telemetry-ingest code deploy 1.8 h earlier (clean since); Lambda errors alarm; future-timestamp WARNs and MySQL DNS warnings all along",
               "story": "`fleet-telemetry` 5XXError goes from 0 to nearly every request, and `telemetry-ingest` Errors alarm too. The Lambda's code deploy 1.8 hours earlier was followed by clean inserts, and the configuration update on `fleet-report-mailer` just before onset is unrelated. Every failing invocation logs `ER_RECORD_FILE_FULL: The table 'telemetry_raw' is full` (errno 1114); the RDS error log shows InnoDB write failures with `Operating system error number 28` / `No space left on device`. `FreeStorageSpace` on fleetdb slid slowly for hours and then fell ~9 GB/h after etl-02's cron started a 2025 backfill into a staging table at -130 min, reaching zero at the onset (the ETL job itself then fails with 1114). Storage exhaustion on fleetdb."}
    return sc
