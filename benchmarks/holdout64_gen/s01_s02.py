"""h64-01 (PHP/Apache host, hourly export cron) and h64-02 (Tomcat fleet, MySQL, batch host)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp, step
from .estate import (alb, apache, apache_err, catalina, ec2, emit, every, iid, lam, log4j,
                     pick, rds, syslog)
from .runtimes import LambdaLogs, mysql

PATHS = [(5, "/catalogue/search?q=bearing"), (4, "/catalogue/item/%d"), (2, "/cart"),
         (1, "/account/orders"), (2, "/static/css/site.css?v=%d")]


def s01() -> Scenario:
    sc = Scenario(1, "parts-catalogue-5xx",
                  "Parts catalogue site returning errors; the ALB 5xx alarm paged the web team.",
                  "eu-west-1", 6401, "2026-02-17T14:50:00")
    rng = sc.rng
    onset, patch = -2400, -2640
    runs = list(range(-20700, 0, 3600))
    a, b = iid(sc), iid(sc)
    hosts = {a: "pweb-01", b: "pweb-02"}

    def disk_b(t):  # hourly export at :05 adds ~4 % and nothing ever removes it
        v = 77.1
        for r in runs:
            v += 4.1 * ramp(t, r, r + 420)
        return min(100.0, v)
    load = lambda t: 880 * diurnal(sc, t, 13.0, 0.3)
    err_b = lambda t: 0.86 * step(t, onset, 0.0, 1.0, 90)
    ec2(sc, a, hosts[a], "m5.large", lambda t: 31 * diurnal(sc, t, 13, .3) + bump(t, patch, patch + 540, 52, 60),
        lambda t: 57.0 + bump(t, patch, patch + 600, 8, 60), lambda t: 61.3,
        net=lambda t: 3.1e6 * diurnal(sc, t, 13, .3), log_groups=["/parts/httpd/access", "/parts/httpd/error", "/parts/messages"])
    ec2(sc, b, hosts[b], "m5.large", lambda t: 30 * diurnal(sc, t, 13, .3) + sum(bump(t, r, r + 420, 21, 30) for r in runs if r < onset),
        lambda t: 59.0, disk_b, net=lambda t: 3.0e6 * diurnal(sc, t, 13, .3),
        log_groups=["/parts/httpd/access", "/parts/httpd/error", "/parts/messages"])
    lb = alb(sc, "parts-web", load, lambda t: 1.2 + load(t) / 2 * err_b(t),
             lambda t: 0.095 + 0.02 * err_b(t), lambda t: 2.0)
    rds(sc, "pcat-mysql", "mysql", "db.m5.large", 400, 100, lambda t: 18 * diurnal(sc, t, 13, .3),
        lambda t: 46.0, lambda t: 61.0 - t / 21600 * -0.05)

    def access(host):
        def line(t):
            bad = host == b and rng.random() < err_b(t) and rng.random() < 0.95
            p = pick(rng, PATHS)
            p = p % rng.randint(1000, 99999) if "%d" in p else p
            st = 500 if bad else pick(rng, [(96, 200), (2, 304), (2, 404)])
            if not bad and "search" in p and rng.random() < 0.004:
                st = 500
            return apache(sc, t, sc.ip("10.40"), "GET", p, st, rng.randint(900, 48000),
                          rng.randint(42000, 160000) if st < 500 else rng.randint(3000, 9000))
        return line
    for h in hosts:
        emit(sc, "/parts/httpd/access", h, lambda t: 3.0, access(h), start=-14400)
        every(sc, "/parts/httpd/access", h, 30, lambda t: apache(sc, t, "10.40.1.9", "GET", "/health.html", 200, 3, 310,
                                                                 ua="ELB-HealthChecker/2.0"), start=-14400)
        emit(sc, "/parts/httpd/error", h, lambda t: 0.35, lambda t: apache_err(
            sc, t, "php:warn", rng.randint(2100, 9800),
            "PHP Warning:  Undefined array key \"sort\" in /var/www/parts/src/Search/Query.php on line 118",
            client=f"{sc.ip('10.40')}:{rng.randint(30000, 60000)}"), start=-14400)
        every(sc, "/parts/messages", h, 600, lambda t: syslog(sc, t, f"ip-10-40-{2 if h == a else 3}-17",
              "amazon-ssm-agent", "INFO [MessageGatewayService] listening reply.", pid=1187), start=-14400)
    # the export cron only lives on pweb-02
    hb = "ip-10-40-3-17"
    for r in runs:
        if r < -14400:
            continue
        pid = rng.randint(20000, 30000)
        sc.log("/parts/messages", b, r + 1.2, syslog(sc, r + 1.2, hb, "CROND", "(apache) CMD (/usr/local/bin/catalogue-export.sh --full)", pid=pid))
        if r < onset - 600:
            sz = rng.uniform(3.7, 4.1)
            sc.log("/parts/messages", b, r + 405, syslog(sc, r + 405, hb, "catalogue-export", f"wrote /var/www/parts/exports/catalogue-{sc.at(r).strftime('%Y%m%d-%H%M')}.csv.gz ({sz:.1f}G), 412877 rows"))
        else:
            sc.log("/parts/messages", b, onset - 20, syslog(sc, onset - 20, hb, "catalogue-export", "gzip: stdout: No space left on device"))
            sc.log("/parts/messages", b, onset - 19, syslog(sc, onset - 19, hb, "CROND", f"(apache) CMDEND (/usr/local/bin/catalogue-export.sh --full) exit 1", pid=pid))
    sc.log("/parts/messages", a, patch + 2, syslog(sc, patch + 2, "ip-10-40-2-17", "amazon-ssm-agent", "INFO [CommandWorker] Processing command AWS-RunPatchBaseline", pid=1187))
    sc.log("/parts/messages", a, patch + 480, syslog(sc, patch + 480, "ip-10-40-2-17", "yum", "Updated: openssl-libs-1:3.0.8-1.amzn2023.0.14.x86_64"))
    sc.log("/parts/messages", a, patch + 560, syslog(sc, patch + 560, "ip-10-40-2-17", "amazon-ssm-agent", "INFO [CommandWorker] Command AWS-RunPatchBaseline completed: Success, no reboot required", pid=1187))
    emit(sc, "/parts/httpd/error", b, lambda t: 5.0 * err_b(t), lambda t: apache_err(
        sc, t, "php:error", rng.randint(2100, 9800), pick(rng, [
            (3, f"PHP Warning:  session_start(): open(/var/lib/php/session/sess_{sc.hexid(26)}, O_RDWR) failed: No space left on device (28) in /var/www/parts/src/Http/Session.php on line 41"),
            (2, "PHP Fatal error:  Uncaught RuntimeException: Unable to write cache file /var/www/parts/var/cache/twig/6f/6f1e.php in /var/www/parts/vendor/twig/twig/src/Cache/FilesystemCache.php:64"),
            (1, "PHP Warning:  file_put_contents(): Only 0 of 8192 bytes written, possibly out of free disk space in /var/www/parts/src/Cart/Store.php on line 77")]),
        client=f"{sc.ip('10.40')}:{rng.randint(30000, 60000)}"), start=onset)
    sc.change(patch, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", a, "ops-patching")
    sc.change(-15800, "ssm.amazonaws.com", "StartSession", "AWS::EC2::Instance", b, "k.doyle")
    sc.alarm("parts-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 40, "GreaterThanThreshold", "Parts catalogue ALB target 5xx")
    sc.alarm(f"{hosts[a]}-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 1,
             80, "GreaterThanThreshold")
    sc.alarm("pcat-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "pcat-mysql"},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "parts-web-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [b, hosts[b]]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": b, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}}]}
    sc.meta = {"front": "front (ALB -> pweb-02)", "decoys": "SSM patch run on pweb-01 4 min before onset (with CPU alarm); PHP 'Undefined array key' warnings for hours; rare 500s on search before onset",
               "story": f"The ALB `parts-web` starts returning target 5xx about {onset // -60} minutes before the scenario ends. The only change near the onset is an SSM `AWS-RunPatchBaseline` run on pweb-01 four minutes earlier, which also raised a short CPU alarm on that host; but pweb-01's access log stays clean. On pweb-02 the CloudWatch-agent `disk_used_percent` climbs like a staircase (~4 % per hour) because an hourly `catalogue-export.sh` cron job writes a 4 GB export that nothing deletes; the onset run ends in `gzip: stdout: No space left on device`, the disk sits at 100 % and the Apache error log fills with PHP `session_start(): ... No space left on device (28)` and cache-write failures. The origin is pweb-02's root volume: storage_exhaustion on that instance."}
    return sc


def s02() -> Scenario:
    sc = Scenario(2, "claims-portal-errors",
                  "Claims portal users get error pages; the ALB 5xx alarm is firing.",
                  "us-east-2", 6402, "2026-03-09T16:40:00")
    rng = sc.rng
    onset, deploy, decoy = -2460, -11040, -2580
    apps = [iid(sc), iid(sc)]
    batch = iid(sc)
    names = {apps[0]: "clm-app-1", apps[1]: "clm-app-2", batch: "clm-batch-1"}
    load = lambda t: 520 * diurnal(sc, t, 15, .3)
    full = lambda t: ramp(t, onset - 420, onset)
    err = lambda t: 0.42 * ramp(t, onset - 60, onset + 240)
    for h in apps:
        ec2(sc, h, names[h], "m5.xlarge", lambda t: 24 * diurnal(sc, t, 15, .3) - 6 * err(t) + bump(t, deploy, deploy + 240, 30, 30),
            lambda t: 71.0 + 2 * ramp(t, deploy, deploy + 600), lambda t: 48.0,
            log_groups=["/claims/tomcat/catalina.out", "/claims/app"])
    ec2(sc, batch, names[batch], "c5.2xlarge", lambda t: 4 + 31 * full(t), lambda t: 22 + 40 * full(t), lambda t: 36.0,
        log_groups=["/claims/batch", "/var/log/cron"])
    lb = alb(sc, "clm-portal", load, lambda t: 1.1 + load(t) * err(t),
             lambda t: 0.21 + 3.4 * err(t), lambda t: 2.0)
    rds(sc, "clmdb-prod", "mysql", "db.r6g.large", 300, 500, lambda t: 22 + 14 * full(t),
        lambda t: 74 * diurnal(sc, t, 15, .15) + 240 * full(t), lambda t: 211.0 - (t + 21600) / 21600 * 0.4,
        mem_gb=lambda t: 5.8 - 0.9 * full(t))
    fn = "clm-doc-indexer"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=512)
    lm = lam(sc, fn, lambda t: 3.0, lambda t: 0.0, lambda t: 3100.0)
    sc.resource("alb", f"app/clm-intranet/{sc.hexid(16)}", name="clm-intranet")

    thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"
    for h in apps:
        g = "/claims/app"
        emit(sc, g, h, lambda t: 4.0, lambda t: log4j(sc, t, "INFO", thr(), "c.m.claims.web.ClaimController",
             f"GET /claims/{rng.randint(100000, 999999)} 200 {rng.randint(40, 180)}ms"), start=-14400)
        emit(sc, g, h, lambda t: 0.4, lambda t: log4j(sc, t, "ERROR", thr(), "o.a.c.c.C.[.[localhost].[/].[dispatcher]",
             "Servlet.service() for servlet [dispatcher] threw exception java.lang.IllegalStateException: getOutputStream() has already been called for this response"), start=-14400)
        emit(sc, g, h, lambda t: 0.8, lambda t: log4j(sc, t, "WARN", thr(), "c.m.claims.audit.AuditTrail",
             "audit queue depth 412 above soft limit 400; flushing synchronously"), start=-14400)
        emit(sc, g, h, lambda t: 7.0 * err(t), lambda t: log4j(sc, t, "ERROR", thr(), "c.m.claims.repo.JdbcClaimRepository", pick(rng, [
            (3, "Could not get JDBC Connection; nested exception is java.sql.SQLException: Cannot get a connection, pool error Timeout waiting for idle object, borrowMaxWaitDuration=PT10S"),
            (2, "Could not create connection to database server. com.mysql.cj.jdbc.exceptions.CommunicationsException: Data source rejected establishment of connection,  message from server: \"Too many connections\"")])),
            start=onset - 120)
        d = sc.at(deploy)
        for k, (lv, lg, msg) in enumerate([
                ("INFO", "org.apache.catalina.core.StandardServer.await", "A valid shutdown command was received via the shutdown port. Stopping the Server instance."),
                ("INFO", "org.apache.catalina.startup.HostConfig.deployWAR", "Deploying web application archive [/opt/tomcat/webapps/ROOT.war]"),
                ("INFO", "org.apache.catalina.startup.HostConfig.deployWAR", f"Deployment of web application archive [/opt/tomcat/webapps/ROOT.war] has finished in [{rng.randint(14000, 19000)}] ms"),
                ("INFO", "org.apache.catalina.startup.Catalina.start", f"Server startup in [{rng.randint(15000, 21000)}] milliseconds")]):
            sc.log("/claims/tomcat/catalina.out", h, deploy + 30 + k * 9, catalina(sc, deploy + 30 + k * 9, lv, "main", lg, msg))
        emit(sc, "/claims/tomcat/catalina.out", h, lambda t: 0.12, lambda t: catalina(
            sc, t, "WARNING", thr(), "org.apache.tomcat.util.http.Parameters.processParameters",
            "Invalid chunk starting at byte [0] and ending at byte [0] with a value of [null] ignored"), start=-14400)
    # batch host: the nightly reconcile job
    bh = "ip-10-8-4-77"
    sc.log("/var/log/cron", batch, onset - 430, syslog(sc, onset - 430, bh, "CROND", "(claims) CMD (/opt/claims/bin/reconcile.sh --open-claims --workers 48)", pid=18811))
    every(sc, "/var/log/cron", batch, 3600, lambda t: syslog(sc, t, bh, "CROND", "(root) CMD (run-parts /etc/cron.hourly)", pid=rng.randint(2000, 30000)), start=-21000)
    sc.log("/claims/batch", batch, onset - 425, log4j(sc, onset - 425, "INFO", "main", "c.m.claims.batch.Reconcile", "starting reconcile run: 186,204 open claims, 48 workers, fetchSize=500"))
    every(sc, "/claims/batch", batch, 60, lambda t: log4j(sc, t, "INFO", "main", "c.m.claims.batch.Reconcile",
          f"progress {int((t - onset + 425) * 11.3)}/186204 claims, {min(240, int(240 * full(t)) + 6)} open DB sessions"), start=onset - 360)
    emit(sc, "/claims/batch", batch, lambda t: 0.3, lambda t: log4j(sc, t, "WARN", f"worker-{rng.randint(1, 48)}", "c.m.claims.batch.ClaimWorker",
         "statement still open on connection after claim commit; leaving for reuse"), start=onset - 300)
    emit(sc, "/aws/rds/instance/clmdb-prod/error", "clmdb-prod", lambda t: 0.25, lambda t: mysql(
        sc, t, rng.randint(90000, 99999), "Note", "MY-010914", f"Aborted connection {rng.randint(10 ** 6, 10 ** 7)} to db: 'claims' user: 'portal' host: '{sc.ip('10.8')}' (Got timeout reading communication packets)."), start=-21600)
    LambdaLogs(sc, fn, "python3.12", 512, 120, retire=[decoy]).run(
        {m: v for m, v in zip(range(-21600, 0, 60), lm["inv"]) if m >= -7200}, {},
        lambda ll, t, rq, e, c: {"dur": rng.uniform(2200, 4200), "lines": [(0.8, ll.fmt(t + 0.8, rq, "INFO", f"indexed {rng.randint(3, 40)} claim documents"))]})
    sc.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "clm-portal-prod", "jenkins-deployer")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "r.alvarez")
    sc.change(-5200, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup", "targetgroup/clm-intranet-tg/7d1a", "r.alvarez")
    sc.alarm("clm-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Claims portal 5xx from targets")
    sc.alarm("clm-portal-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 1.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "clm-portal-target-5xx", "root_cause": {"category": "db_connection_exhaustion", "resource": ["clmdb-prod"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "clmdb-prod"}}]}
    sc.meta = {"front": "front (ALB -> Tomcat -> RDS)", "decoys": "Lambda config update 2 min before onset; CodeDeploy of the portal 2.4 h before onset; Tomcat IllegalStateException errors all along; second (latency) alarm",
               "story": "The `clm-portal` ALB shows target 5xx and slow responses. A CodeDeploy of the portal two and a half hours earlier changed nothing in the error mix, and the Lambda configuration update two minutes before onset touches a document indexer that never talks to the portal. `DatabaseConnections` on `clmdb-prod` climbs from ~85 to the 300 limit within seven minutes of the `reconcile.sh --workers 48` cron starting on clm-batch-1, whose own log reports hundreds of open DB sessions; from then on both Tomcat hosts log `Too many connections` and DBCP `Cannot get a connection, pool error Timeout waiting for idle object`. The long-standing `getOutputStream() has already been called` errors keep their old rate. Connection exhaustion on the database, driven by the batch host."}
    return sc
