"""h64-03 (Tomcat host, host-level OOM) and h64-04 (IIS/.NET on Windows, CPU)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp, step
from .estate import (alb, catalina, ec2, emit, every, iid, iis, pick, rds, syslog)
from .runtimes import serilog


def s03() -> Scenario:
    sc = Scenario(3, "dms-portal-502s",
                  "Document portal intermittently returns 502 Bad Gateway; the ALB alarm paged on-call.",
                  "ap-southeast-2", 6403, "2026-04-22T09:15:00")
    rng = sc.rng
    leak0, wiki_deploy = -14400, -1980
    kills = [-1800, -1495, -1210, -925, -650, -385, -140]
    a, b, wiki = iid(sc), iid(sc), iid(sc)
    names = {a: "dms-app-01", b: "dms-app-02", wiki: "wiki-01"}
    leaks = [leak0 + 600 * k + 15 for k in range(0, 40) if leak0 + 600 * k + 15 < 0]

    def mem_a(t):
        v = 56.0 + 2.15 * sum(1 for x in leaks if x + 130 <= t)
        v = min(97.8, v)
        for k in kills:
            if k <= t < k + 240:
                v -= 31.0 * (1 - ramp(t, k + 40, k + 200))
        return v

    def down_a(t):  # tomcat on dms-app-01 not serving
        return any(k <= t < k + 150 for k in kills)
    load = lambda t: 410 * diurnal(sc, t, 3, .3)
    ec2(sc, a, names[a], "m5.xlarge", lambda t: 27 * diurnal(sc, t, 3, .3) + 22 * step(t, kills[0], 0, 1) * 0.6,
        mem_a, lambda t: 44.0, net=lambda t: 1.9e6, log_groups=["/dms/tomcat/catalina.out", "/dms/messages"])
    ec2(sc, b, names[b], "m5.xlarge", lambda t: 26 * diurnal(sc, t, 3, .3) + bump(t, -9000, -8400, 48, 60),
        lambda t: 61.0, lambda t: 45.0, net=lambda t: 1.9e6, log_groups=["/dms/tomcat/catalina.out", "/dms/messages"])
    ec2(sc, wiki, names[wiki], "t3.large", lambda t: 9 + bump(t, wiki_deploy, wiki_deploy + 300, 40, 30),
        lambda t: 48.0, lambda t: 58.0)
    elb5 = lambda t: (36.0 if down_a(t) else 15.0) * step(t, kills[0], 0, 1)
    lb = alb(sc, "dms-web", load, lambda t: 0.8, lambda t: 0.31, lambda t: 1.0 if down_a(t) else 2.0,
             unhealthy=lambda t: 1.0 if down_a(t) else 0.0, elb5xx=elb5)
    rds(sc, "dms-pg", "postgres", "db.m6g.large", 500, 400, lambda t: 14 * diurnal(sc, t, 3, .3),
        lambda t: 62.0 - 12 * step(t, kills[0], 0, 1), lambda t: 288.0)
    thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 150)}"
    for h, host in ((a, "ip-172-31-9-40"), (b, "ip-172-31-22-8")):
        g = "/dms/tomcat/catalina.out"
        emit(sc, g, h, lambda t: 0.5, lambda t: catalina(
            sc, t, "WARNING", thr(), "org.apache.tomcat.util.http.Parameters.processParameters",
            "Invalid chunk starting at byte [0] and ending at byte [0] with a value of [null] ignored"), start=-14400)
        emit(sc, g, h, lambda t: 0.0 if h == a and down_a(t) else 2.0, lambda t: catalina(
            sc, t, "INFO", thr(), "au.dms.web.AccessLog",
            f"GET /documents/{rng.randint(10 ** 5, 10 ** 6)}/preview 200 {rng.randint(60, 420)}ms"), start=-14400)
        every(sc, "/dms/messages", h, 600, lambda t: syslog(sc, t, host, "CROND", "(dms) CMD (/opt/dms/bin/doc-convert.sh --inbox /srv/dms/inbox)", pid=rng.randint(3000, 32000)), start=-21300)
        every(sc, "/dms/messages", h, 900, lambda t: syslog(sc, t, host, "systemd", "Started Session c%d of User dms." % rng.randint(100, 999), pid=1), start=-21400)
    ha = "ip-172-31-9-40"
    for x in leaks:
        if x < -14400:
            continue
        p = rng.randint(18000, 32000)
        sc.log("/dms/messages", a, x + 121, syslog(sc, x + 121, ha, "doc-convert.sh", f"soffice (pid {p}) did not exit after 120s converting inbox/batch-0422/{sc.hexid(8)}.docx; leaving it running", pid=p - 3))
    for k in kills:
        jp = rng.randint(40000, 60000)
        lines = [
            (0.0, "kernel", f"Out of memory: Killed process {jp} (java) total-vm:8974312kB, anon-rss:4929140kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:10744kB oom_score_adj:0"),
            (0.4, "systemd[1]", "tomcat.service: Main process exited, code=killed, status=9/KILL"),
            (0.4, "systemd[1]", "tomcat.service: Failed with result 'oom-kill'."),
            (5.4, "systemd[1]", f"tomcat.service: Scheduled restart job, restart counter is at {kills.index(k) + 1}."),
            (5.6, "systemd[1]", "Started Apache Tomcat 9 Web Application Container.")]
        for dt, proc, msg in lines:
            sc.log("/dms/messages", a, k + dt, syslog(sc, k + dt, ha, proc, msg))
        sc.log("/dms/messages", a, k - 0.3, syslog(sc, k - 0.3, ha, "kernel", "soffice.bin invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0"))
        st = k + 6 + rng.uniform(60, 90)
        sc.log("/dms/tomcat/catalina.out", a, st, catalina(sc, st, "INFO", "main", "org.apache.catalina.startup.Catalina.start", f"Server startup in [{rng.randint(58000, 85000)}] milliseconds"))
    emit(sc, "/dms/tomcat/catalina.out", a, lambda t: 1.0 if not down_a(t) else 0.0, lambda t: catalina(
        sc, t, "SEVERE", thr(), "au.dms.render.PreviewService",
        "preview render failed: java.io.IOException: Cannot allocate memory (errno 12) spawning /usr/bin/pdftoppm"), start=kills[0] - 600)
    sc.change(wiki_deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "intranet-wiki-prod", "bamboo-deploy")
    sc.change(-7300, "ssm.amazonaws.com", "StartSession", "AWS::EC2::Instance", b, "s.nguyen")
    sc.alarm("dms-web-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 4, "GreaterThanThreshold", "Document portal 5xx generated by the load balancer")
    sc.alarm("dms-web-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb},
             "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.expect = {"alarm": "dms-web-elb-5xx", "root_cause": {"category": "memory_exhaustion", "resource": [a, names[a]]},
                 "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": a}}]}
    sc.meta = {"front": "front (ALB -> dms-app-01)", "decoys": "CodeDeploy of intranet-wiki 3 min before the first kill; Tomcat 'Invalid chunk' warnings all along; unhealthy-host alarm flapping",
               "story": "The `dms-web` ALB emits 502s (ELB-generated 5xx) and one target flaps unhealthy. The closest change is a CodeDeploy of the unrelated intranet wiki (its own host) three minutes before the first error. On dms-app-01 the agent's `mem_used_percent` has risen in 2 % steps every ten minutes for four hours: each run of the `doc-convert.sh` cron abandons a hung `soffice` process (logged in /var/log/messages). At ~97 % the kernel OOM killer (`soffice.bin invoked oom-killer ... Killed process (java)`) kills Tomcat; systemd restarts it, memory refills and it is killed again every ~5 minutes. dms-app-02 is unaffected. Memory exhaustion on dms-app-01."}
    return sc


def s04() -> Scenario:
    sc = Scenario(4, "rates-site-slow",
                  "Rates website slow for brokers; ALB latency alarm in ALARM.",
                  "eu-central-1", 6404, "2026-05-12T11:30:00")
    rng = sc.rng
    onset = -2700
    f1, f2 = iid(sc), iid(sc)
    names = {f1: "WEBFE01", f2: "WEBFE02"}
    load = lambda t: 640 * diurnal(sc, t, 11, .35)
    hot = lambda t: ramp(t, onset, onset + 150)
    for h in (f1, f2):
        ec2(sc, h, names[h], "m5.large", (lambda t: 34 * diurnal(sc, t, 11, .35) + 66 * hot(t)) if h == f2
            else (lambda t: 33 * diurnal(sc, t, 11, .35)), lambda t: 58.0 + 3 * (h == f2) * hot(t),
            lambda t: 63.0, net=lambda t: 2.2e6 * diurnal(sc, t, 11, .35), windows=True,
            log_groups=["/rates/iis", "/rates/app", "/rates/windows/system"])
    lb = alb(sc, "rates-fe", load, lambda t: 0.6 + 2.4 * hot(t), lambda t: 0.17 + 1.85 * hot(t),
             lambda t: 2.0)
    rds(sc, "ratesql01", "sqlserver-se", "db.m5.xlarge", 32767, 500,
        lambda t: 19 * diurnal(sc, t, 11, .35) + bump(t, -9300, -8700, 45, 120), lambda t: 58.0 - 6 * hot(t),
        lambda t: 322.0)
    pages = [(5, "/Rates/Quote.aspx"), (3, "/api/rates/current"), (2, "/Broker/Default.aspx"),
             (1, "/Content/site.min.css")]
    for h, sip in ((f1, "10.60.1.21"), (f2, "10.60.2.34")):
        def line(t, h=h, sip=sip):
            slow = h == f2 and hot(t) > 0.5
            if rng.random() < 0.08:
                return iis(sc, t, sip, "GET", pick(rng, [(1, "/wp-login.php"), (1, "/.env"), (1, "/admin/config.php")]),
                           None, sc.ip("10.60"), 404, 0, 2, rng.randint(2, 9), ua="Go-http-client/1.1")
            st = 200 if not slow or rng.random() > 0.01 else 500
            ms = int(rng.uniform(2400, 7600) if slow else rng.gauss(150, 45))
            return iis(sc, t, sip, "GET", pick(rng, pages), "broker=" + str(rng.randint(100, 999)),
                       sc.ip("10.60"), st, 0, 0 if st == 200 else 64, max(12, ms))
        emit(sc, "/rates/iis", h, lambda t: 3.0, line, start=-14400)
        emit(sc, "/rates/app", h, lambda t: 0.9, lambda t: serilog(
            sc, t, "ERR", "Rates.Web.Global", "Unhandled exception for /wp-login.php: System.Web.HttpException (0x80004005): The controller for path '/wp-login.php' was not found or does not implement IController."), start=-14400)
        emit(sc, "/rates/app", h, lambda t: 1.2, lambda t: serilog(
            sc, t, "INF", "Rates.Core.QuoteService", f"Quote {rng.randint(10 ** 6, 10 ** 7)} priced in {rng.randint(40, 160)} ms"), start=-14400)
        every(sc, "/rates/windows/system", h, 3600, lambda t: "Information | Service Control Manager | 7036 | The Windows Modules Installer service entered the running state.", start=-21000)
    emit(sc, "/rates/app", f2, lambda t: 2.0 * hot(t), lambda t: serilog(
        sc, t, "WRN", "Rates.Core.QuoteService", f"Quote {rng.randint(10 ** 6, 10 ** 7)} priced in {rng.randint(2300, 7400)} ms (slow, threshold 1000 ms)"), start=onset)
    emit(sc, "/rates/app", f2, lambda t: 0.25 * hot(t), lambda t: serilog(
        sc, t, "WRN", "Rates.Web.Health", f"Request queue length {rng.randint(40, 120)}; ThreadPool min threads reached, injecting threads slowly"), start=onset)
    sc.log("/rates/windows/system", f2, onset - 35, "Information | Microsoft-Windows-Windows Defender | 1000 | Microsoft Defender Antivirus scan has started. Scan ID: {5B1E0C55-9E8A-4C5E-9F1C-0D3B8E2A1F44} Scan Type: Antimalware Scan Parameters: Full Scan Scan Resource: Scheduled User: NT AUTHORITY\\SYSTEM")
    sc.log("/rates/windows/system", f2, onset + 1200, "Warning | Microsoft-Windows-Resource-Exhaustion-Detector | 2004 | Windows successfully diagnosed a low virtual memory condition. The following programs consumed the most virtual memory: w3wp.exe (4132) consumed 1912377344 bytes, MsMpEng.exe (2912) consumed 611241984 bytes")
    every(sc, "/rates/windows/system", f2, 600, lambda t: "Information | Microsoft-Windows-Windows Defender | 1150 | Microsoft Defender Antivirus scan progress: Full Scan in progress, CPU throttling disabled", start=onset + 600)
    sc.log("/rates/windows/system", f1, -20400, "Information | Microsoft-Windows-Windows Defender | 1001 | Microsoft Defender Antivirus scan has finished. Scan Type: Antimalware Scan Parameters: Quick Scan")
    sc.change(-2880, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0b41c7e2d9a3f5011", "t.weber")
    sc.change(-3300, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "ratesql01", "t.weber")
    sc.alarm("rates-fe-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "Rates site target response time")
    sc.alarm("ratesql01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ratesql01"},
             "Average", 300, 1, 40, "GreaterThanThreshold")
    sc.expect = {"alarm": "rates-fe-latency", "root_cause": {"category": "cpu_saturation", "resource": [f2, names[f2]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": f2}}]}
    sc.meta = {"front": "front (ALB -> WEBFE02)", "decoys": "security-group ingress change 3 min before onset; RDS ModifyDBInstance 10 min before; scanner 404s logged as unhandled exceptions for hours; earlier RDS CPU alarm",
               "story": "`rates-fe` TargetResponseTime jumps from ~0.2 s to ~2 s at flat request volume. Changes just before (a security-group ingress rule for RDP, a backup-window change on the SQL Server instance) do not touch the request path, and ratesql01's metrics stay normal after its earlier index-maintenance spike. WEBFE02's CPUUtilization goes from ~40 % to 99-100 % at the onset, right after the Windows event log records a scheduled Defender *Full Scan* starting with CPU throttling disabled; only WEBFE02's IIS log shows multi-second `time-taken` and the app logs slow quotes and thread-pool starvation. WEBFE01 stays at normal CPU and latency. CPU saturation on WEBFE02."}
    return sc
