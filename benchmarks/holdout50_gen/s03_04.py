"""h50-03 (one Windows/IIS instance leaks memory) and h50-04 (RDS MySQL connections exhausted by piling cron runs)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, rds_metrics, times
from . import fmt

MVC = ["lambda_method(Closure , ControllerBase , Object[] )",
       "System.Web.Mvc.ActionMethodDispatcher.Execute(ControllerBase controller, Object[] parameters)",
       "System.Web.Mvc.Async.AsyncControllerActionInvoker.<>c.<BeginInvokeSynchronousActionMethod>b__9_0(IAsyncResult asyncResult, ActionInvocation innerInvokeState)",
       "System.Web.Mvc.Controller.EndExecuteCore(IAsyncResult asyncResult)",
       "System.Web.HttpApplication.CallHandlerExecutionStep.System.Web.HttpApplication.IExecutionStep.Execute()",
       "System.Web.HttpApplication.ExecuteStepImpl(IExecutionStep step)"]


def h03():
    s = Scn(3, "h50-03-iis-dotnet-instance-memory-leak", "us-west-2",
            "Memory alarm on one Windows portal web server; some portal users report errors exporting reports.",
            dt.datetime(2026, 11, 17, 19, 5, 0), 5003)
    alb, tg = "app/portal-alb/4e0c9a2d6b1f7358", "targetgroup/portal-web-tg/61c0e9b3d2a4f587"
    fleet = [inst(s, "portal-web-" + z, "10.44") for z in "abc"]
    bad = fleet[1]
    rw = inst(s, "reporting-worker-01", "10.44")
    G = ["/portal/prod/iis", "/portal/prod/app", "/portal/prod/windows-application", "/portal/prod/windows-system"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="m5.xlarge", autoscaling_group="portal-web-asg",
              platform="Windows Server 2019 / IIS 10 / .NET Framework 4.8", app_pool="PortalAppPool (private memory limit 0, recycle 03:00)",
              memory_gib=16, private_ip=i["ip"], log_groups=G)
    s.res("ec2", rw["id"], name=rw["name"], instance_type="m5.large", platform="Windows Server 2019 / .NET Framework 4.8 service",
          private_ip=rw["ip"], log_groups=["/reporting/prod/worker"])
    s.res("alb", alb, name="portal-alb", target_group=tg, targets=[i["id"] for i in fleet], stickiness="lb_cookie 8h")
    s.res("rds", "portal-pg", engine="postgres", engine_version="14.10", instance_class="db.m6g.large", max_connections=800,
          allocated_storage_gb=300)
    OOM = -1740
    leak = lambda t: 51.0 + 45.0 * ((t + 21600) / 19860.0) ** 1.6 if t < OOM else 96.4 + 1.2 * min(1, (t - OOM) / 600.0)
    req_tot = lambda t: 700.0 * diurnal(s, t, 0.3, 19)
    fail_b = lambda t: 0.0 if t < OOM else 0.11
    slow_b = lambda t: max(0.0, (leak(t) - 80) / 16.0) if t < OOM else 1.0
    t5 = counts(s, lambda t: 0.3 + req_tot(t) / 3 * fail_b(t))
    rt = series(s, lambda t: 0.21 + 0.9 * slow_b(t) / 3, noise=0.015, lo=0.08)
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, rt, [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "portal-web-asg", [3.0] * 360, [3.0] * 360)
    for i in fleet:
        if i is bad:
            mem = series(s, leak, noise=0.35, hi=99.2)
            cpu = series(s, lambda t: 14 + req_tot(t) / 3 / 30 + 22 * slow_b(t), noise=2.5, hi=100)
        else:
            mem = series(s, lambda t: 53.5 + 3 * ((t + 21600) % 7200) / 7200.0, noise=0.4)
            cpu = series(s, lambda t: 14 + req_tot(t) / 3 / 30 + (bump(t, -5460, -4500, 62) if i is fleet[2] else 0), noise=2.5, hi=100)
        ec2_metrics(s, i, cpu, mem, series(s, lambda t: 38.0 - (t + 21600) / 80000.0, noise=0.03), windows=True)
        s.metric("CWAgent", "Paging File % Usage", {"InstanceId": i["id"], "instance": "\\??\\C:\\pagefile.sys", "objectname": "Paging File"},
                 "Percent", series(s, (lambda t: 4 + max(0, leak(t) - 70) * 2.2) if i is bad else (lambda t: 4.5), noise=0.4, hi=100))
    ec2_metrics(s, rw, series(s, lambda t: 9.0, noise=2), series(s, lambda t: 41.0, noise=0.7), series(s, lambda t: 55.0, noise=0.02), windows=True)
    rds_default(s, "portal-pg", cpu=16.0, conns=140.0, free_gb=180.0, mem_gb=3.1)

    cl = clients(s, "10.44", 40)
    pages = [("GET", "/", 0.14), ("GET", "/dashboard", 0.2), ("GET", "/claims/list", 0.18), ("GET", "/api/notifications", 0.2),
             ("GET", "/reports/view", 0.12), ("GET", "/reports/export", 0.06), ("POST", "/claims/edit", 0.1)]
    for i in fleet:
        st, sip = i["id"], i["ip"]
        w3wp = s.rng.randint(3000, 9000)
        s.log(G[0], st, LOG_FROM - 30, "#Software: Microsoft Internet Information Services 10.0")
        s.log(G[0], st, LOG_FROM - 29.9, fmt.IIS_HEADER)
        for t in times(s, LOG_FROM, -5, lambda t: 5.0 * diurnal(s, t, 0.3, 19)):
            x = s.rng.random()
            for m, stem, w in pages:
                x -= w
                if x < 0:
                    break
            q = "id=%d&format=xlsx" % s.rng.randint(10000, 99999) if stem == "/reports/export" else None
            ua = s.rng.choice(fmt.UA[:4])
            slow = slow_b(t) if i is bad else 0.0
            oom = i is bad and t >= OOM and (stem in ("/reports/export", "/reports/view") and s.rng.random() < 0.75 or s.rng.random() < 0.05)
            if oom:
                s.log(G[0], st, t, fmt.iis(s, t, sip, m, stem, q, s.rng.choice(cl), ua, 500, 0, 0, s.rng.randint(900, 6000)))
                thread = s.rng.randint(5, 120)
                top = (["System.IO.MemoryStream.set_Capacity(Int32 value)", "System.IO.MemoryStream.EnsureCapacity(Int32 value)",
                        "System.IO.MemoryStream.Write(Byte[] buffer, Int32 offset, Int32 count)",
                        "DocumentFormat.OpenXml.Packaging.OpenXmlPackage.SavePartContents(Boolean save)",
                        "Portal.Reports.ExcelExporter.Render(DataTable table) in C:\\build\\Portal\\src\\Portal.Reports\\ExcelExporter.cs:line 88",
                        "Portal.Web.Controllers.ReportsController.Export(Int32 id, String format) in C:\\build\\Portal\\src\\Portal.Web\\Controllers\\ReportsController.cs:line 141"]
                       if stem == "/reports/export" else
                       ["System.Text.StringBuilder.ToString()", "System.Web.Mvc.ViewResultBase.ExecuteResult(ControllerContext context)",
                        "Portal.Web.Controllers.%s in C:\\build\\Portal\\src\\Portal.Web\\Controllers\\PortalController.cs:line %d" % (
                            "ReportsController.View(Int32 id)" if "reports" in stem else "PortalController.Index()", s.rng.randint(40, 300))])
                s.log(G[1], st, t - 0.02, fmt.log4net(s, t, thread, "ERROR", "Portal.Web.MvcApplication", "Unhandled exception for %s %s\r\n%s" % (
                      m, stem, fmt.netstack("System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.", top + MVC))))
                if s.rng.random() < 0.4:
                    s.log(G[2], st, t + 0.1, fmt.winevent(s, t, "Warning", "Application", 1309, "ASP.NET 4.0.30319.0",
                          "Event code: 3005 Event message: An unhandled exception has occurred. Application information: Application domain: /LM/W3SVC/1/ROOT-1-1337... "
                          "Trust level: Full Application Virtual Path: / Process information: Process ID: %d Process name: w3wp.exe Account name: IIS APPPOOL\\PortalAppPool "
                          "Exception information: Exception type: OutOfMemoryException Exception message: Exception of type 'System.OutOfMemoryException' was thrown. "
                          "Request information: Request URL: https://portal.example.com:443%s Request path: %s" % (w3wp, stem, stem)))
            else:
                base = 480 if stem == "/reports/export" else 60
                s.log(G[0], st, t, fmt.iis(s, t, sip, m, stem, q, s.rng.choice(cl), ua, 302 if m == "POST" else 200, 0, 0,
                      int(s.rng.uniform(0.5, 2.0) * base * (1 + 6 * slow))))
        for t in every(s, LOG_FROM, -5, 15, 1):
            s.log(G[0], st, t, fmt.iis(s, t, sip, "GET", "/health", None, s.rng.choice(["10.44.0.12", "10.44.9.31"]), "ELB-HealthChecker/2.0", 200, 0, 0, s.rng.randint(1, 4), port=80))
        for t in every(s, LOG_FROM, -5, 300, 3):
            if i is bad:
                n, gb = int(900 + (t + 21600) / 9.0), (leak(t) - 51) / 100.0 * 16 + 1.6
            else:
                n, gb = s.rng.randint(60, 240), s.rng.uniform(0.12, 0.35)
            s.log(G[1], st, t, fmt.log4net(s, t, s.rng.randint(5, 40), "INFO", "Portal.Reports.ReportExportCache",
                  "cache stats: entries=%d approxBytes=%d evictions=0 oldest=%s" % (n, int(gb * 1024 ** 3), "13:58:02" if i is bad else "-00:19:44")))
        for t in times(s, LOG_FROM, -5, 1.2):
            s.log(G[1], st, t, fmt.log4net(s, t, s.rng.randint(5, 120), "INFO", "Portal.Web.Security.SignInManager",
                  "user %s@%s signed in (tenant=%s, mfa=%s)" % (s.hexid(6), s.rng.choice(["acme-logistics.com", "northwind.io", "contoso.net"]),
                  s.rng.choice(["acme-logistics", "northwind", "contoso"]), s.rng.choice(["totp", "push"]))))
        for t in times(s, LOG_FROM, -5, 0.8):       # pre-existing scanner noise on every instance
            s.log(G[2], st, t, fmt.winevent(s, t, "Warning", "Application", 1309, "ASP.NET 4.0.30319.0",
                  "Event code: 4009 Event message: Viewstate verification failed. Reason: The viewstate supplied failed integrity check. Process name: w3wp.exe "
                  "Request URL: https://portal.example.com:443/Login.aspx User host address: %s" % s.ip("185.220")))
        for t in every(s, LOG_FROM, -5, 1800, 30):
            s.log(G[3], st, t, fmt.winevent(s, t, "Information", "System", 7036, "Service Control Manager",
                  "The Windows Modules Installer service entered the %s state." % s.rng.choice(["running", "stopped"])))
    c = fleet[2]
    s.log(G[3], c["id"], -5470, fmt.winevent(s, -5470, "Information", "System", 1000, "Microsoft-Windows-Windows Defender", "Microsoft Defender Antivirus scan has started. Scan Type: Antimalware Scan Parameters: Full Scan Scan Source: Scheduled"))
    s.log(G[3], c["id"], -4520, fmt.winevent(s, -4520, "Information", "System", 1001, "Microsoft-Windows-Windows Defender", "Microsoft Defender Antivirus scan has finished. Scan Type: Antimalware Scan Parameters: Full Scan Scan Time: 0:15:50"))
    for t in every(s, -9000, -5, 1500, 60):
        if leak(t) > 88:
            s.log(G[3], bad["id"], t, fmt.winevent(s, t, "Warning", "System", 2004, "Microsoft-Windows-Resource-Exhaustion-Detector",
                  "Windows successfully diagnosed a low virtual memory condition. The following programs consumed the most virtual memory: "
                  "w3wp.exe (%d) consumed %d bytes, MsMpEng.exe (2716) consumed 412946432 bytes, and amazon-cloudwatch-agent.exe (3140) consumed 118267904 bytes."
                  % (w3wp, int((leak(t) - 38) / 100 * 16 * 1024 ** 3))))
    for t in every(s, LOG_FROM, -5, 120, 10):
        s.log("/reporting/prod/worker", rw["id"], t, fmt.log4net(s, t, 7, "INFO", "Reporting.Worker.ExportJob",
              "export batch done rows=%d maxRows=%d elapsed=%dms" % (s.rng.randint(2000, 9000), 20000 if t < -2580 else 50000, s.rng.randint(800, 4000))))
    s.log("/reporting/prod/worker", rw["id"], -2580, fmt.log4net(s, -2580, 7, "INFO", "Reporting.Worker.Settings",
          "Reloaded parameter /reporting/prod/export/max-rows = 50000 (was 20000)"))
    s.change(-2620, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/reporting/prod/export/max-rows", "j.alvarez")
    s.alarm("portal-web-b-memory-high", "CWAgent", "Memory % Committed Bytes In Use", {"InstanceId": bad["id"], "objectname": "Memory"},
            "Average", 300, 2, 90, "GreaterThanThreshold", s.values("Memory % Committed Bytes In Use", InstanceId=bad["id"], objectname="Memory"),
            desc="portal-web-b committed memory above 90%", state="ALARM")
    s.alarm("portal-web-c-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": c["id"]}, "Average", 300, 1, 60, "GreaterThanThreshold",
            s.values("CPUUtilization", InstanceId=c["id"]), state="OK")
    s.expect = {"alarm": "portal-web-b-memory-high",
                "root_cause": {"category": "memory_exhaustion", "resource": [bad["id"], bad["name"]]},
                "anomalies": [{"namespace": "CWAgent", "name": "Memory % Committed Bytes In Use",
                               "dimensions": {"InstanceId": bad["id"], "objectname": "Memory"}}]}
    return s


def h04():
    s = Scn(4, "h50-04-rds-mysql-connections-exhausted-cron-pileup", "ap-southeast-2",
            "Bookings site throwing 500s; bookings-alb target 5XX alarm fired.",
            dt.datetime(2026, 11, 20, 2, 10, 0), 5004)
    alb, tg = "app/bookings-alb/5a7d3c1e9f2b4068", "targetgroup/bookings-web-tg/0e4b8c6a2d1f9375"
    fleet = [inst(s, "bookings-web-%02d" % k, "10.52") for k in range(1, 5)]
    batch = inst(s, "bookings-batch-01", "10.52")
    G = ["/bookings/prod/nginx-access", "/bookings/prod/symfony", "/bookings/prod/php-fpm"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.large", autoscaling_group="bookings-web-asg",
              platform="Ubuntu 22.04 / nginx 1.18 / PHP-FPM 8.1 (Symfony 6.4)", php_fpm="pm=static pm.max_children=40",
              private_ip=i["ip"], log_groups=G)
    s.res("ec2", batch["id"], name=batch["name"], instance_type="t3.large", platform="Ubuntu 22.04 / PHP 8.1 CLI (cron)",
          private_ip=batch["ip"], log_groups=["/bookings/prod/batch", "/bookings/prod/cron"])
    s.res("alb", alb, name="bookings-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "bookings-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
          max_connections=450, allocated_storage_gb=250, parameter_group="bookings-mysql80 (max_connections=450)")
    PILE, MAXC = -4320, 450.0
    conns_f = lambda t: min(MAXC, 68.0 + 0.14 * max(0, t - PILE))
    FULL = next(t for t in range(PILE, 0, 10) if conns_f(t) >= MAXC)
    req_tot = lambda t: 1500.0 * diurnal(s, t, 0.25, 3)
    fail = lambda t: 0.0 if t < FULL else 0.42
    t5 = counts(s, lambda t: 0.5 + req_tot(t) * fail(t))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.14 + (0.05 if t >= FULL else 0), noise=0.01, lo=0.05),
                [4.0] * 360, [0.0] * 360)
    asg_metrics(s, "bookings-web-asg", [4.0] * 360, [4.0] * 360)
    dep = -7800
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 8 + req_tot(t) / 4 / 16 + bump(t, dep + 15, dep + 120, 20) - (6 if t >= FULL else 0), noise=2, hi=100),
                    series(s, lambda t: 46.0, noise=0.8), series(s, lambda t: 29.0, noise=0.03))
    ec2_metrics(s, batch, series(s, lambda t: 4 + min(60.0, max(0, t - PILE) / 60.0 * 1.4) if t < FULL else 7, noise=1.5, hi=100),
                series(s, lambda t: 22 + min(60.0, max(0, t - PILE) / 60.0 * 1.2) if t < FULL else 24, noise=0.5),
                series(s, lambda t: 31.0, noise=0.02))
    gb = 1024 ** 3
    rds_metrics(s, "bookings-mysql",
                series(s, lambda t: 17 + min(18, max(0, t - PILE) / 240.0), noise=2.0, hi=100),
                series(s, lambda t: conns_f(t), noise=2.0, hi=MAXC),
                series(s, lambda t: 151 * gb - (t + 21600) * 1500.0, noise=3e7),
                series(s, lambda t: 6.2 * gb - max(0, conns_f(t) - 68) * 9.5e6, noise=5e7),
                series(s, lambda t: 0.0009, noise=0.0002, lo=0.0002), series(s, lambda t: 0.0014, noise=0.0003, lo=0.0003),
                series(s, lambda t: 310.0, noise=30), series(s, lambda t: 140.0, noise=15),
                extra=[("Threads_running", "Count", series(s, lambda t: 6.0, noise=1.5, lo=1))])

    cl = clients(s, "10.52", 40)
    routes = [("GET", "/", 0.15), ("GET", "/search?from=SYD&date=2026-12-%02d", 0.3), ("GET", "/booking/%d", 0.25),
              ("POST", "/booking/%d/confirm", 0.05), ("GET", "/api/availability/%d", 0.2), ("GET", "/account/trips", 0.05)]
    for i in fleet:
        st = i["id"]
        for t in times(s, LOG_FROM, -5, lambda t: 3.6 * diurnal(s, t, 0.25, 3)):
            x = s.rng.random()
            for m, p, w in routes:
                x -= w
                if x < 0:
                    break
            path = p % s.rng.randint(1, 28) if "date=" in p else (p % s.rng.randint(100000, 999999) if "%d" in p else p)
            c, ua = s.rng.choice(cl), s.rng.choice(fmt.UA[:5])
            if t >= FULL and s.rng.random() < 0.42:
                rt = s.rng.uniform(0.01, 0.06)
                s.log(G[0], st, t, fmt.nginx_access(s, t, c, m, path, 500, 1311, rt, ua, rt))
                s.log(G[1], st, t - 0.004, fmt.monolog(s, t, "request", "CRITICAL",
                      'Uncaught PHP Exception Doctrine\\DBAL\\Exception\\ConnectionException: "An exception occurred in the driver: SQLSTATE[HY000] [1040] Too many connections" at /var/www/bookings/vendor/doctrine/dbal/src/Driver/API/MySQL/ExceptionConverter.php line 103',
                      '{"exception":"[object] (Doctrine\\\\DBAL\\\\Exception\\\\ConnectionException(code: 1040): An exception occurred in the driver: SQLSTATE[HY000] [1040] Too many connections at /var/www/bookings/vendor/doctrine/dbal/src/Driver/API/MySQL/ExceptionConverter.php:103)\\n[previous exception] [object] (Doctrine\\\\DBAL\\\\Driver\\\\PDO\\\\Exception(code: 1040): SQLSTATE[HY000] [1040] Too many connections at /var/www/bookings/vendor/doctrine/dbal/src/Driver/PDO/Exception.php:28)\\n[previous exception] [object] (PDOException(code: 1040): SQLSTATE[HY000] [1040] Too many connections at /var/www/bookings/vendor/doctrine/dbal/src/Driver/PDO/MySQL/Driver.php:34)"}'))
            else:
                rt = s.rng.uniform(0.03, 0.4)
                s.log(G[0], st, t, fmt.nginx_access(s, t, c, m, path, 303 if m == "POST" else 200, s.rng.randint(900, 60000), rt, ua, rt - 0.001))
        for t in every(s, LOG_FROM, -5, 60, 4):
            s.log(G[1], st, t, fmt.monolog(s, t, "app", "INFO", "availability cache refreshed: %d routes, %d fares in %d ms" % (
                  s.rng.randint(300, 420), s.rng.randint(20000, 40000), s.rng.randint(40, 300))))
        for t in every(s, LOG_FROM, -5, 10, 1):
            s.log(G[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.52.1.9", "10.52.7.33"]), "GET", "/healthz", 200, 2, 0.0, "ELB-HealthChecker/2.0"))
        for t in times(s, LOG_FROM, -5, 1.5):
            s.log(G[2], st, t, fmt.fpm(s, t, "WARNING", "[pool www] child %d said into stderr: \"NOTICE: PHP message: PHP Deprecated:  Return type of App\\Legacy\\FareCollection::getIterator() should either be compatible with IteratorAggregate::getIterator(): Traversable, or the #[\\ReturnTypeWillChange] attribute should be used in /var/www/bookings/src/Legacy/FareCollection.php on line 58\"" % s.rng.randint(1000, 1400)))
        for off, msg in [(0, "LifecycleEvent - ApplicationStop"), (5, "LifecycleEvent - Install"), (12, "LifecycleEvent - AfterInstall"),
                         (12.4, "[stdout]php bin/console cache:warmup --env=prod"), (30, "LifecycleEvent - ApplicationStart"),
                         (30.2, "[stdout]systemctl reload php8.1-fpm"), (41, "LifecycleEvent - ValidateService")]:
            s.log("/bookings/prod/codedeploy", st, dep + 15 + off, fmt.codedeploy(s, dep + 15 + off, "d-QH3N2D8VA", msg))
    bst, host = batch["id"], batch["host"]
    pid, running = 880000, []
    for t in every(s, LOG_FROM, -5, 60, 0.2):
        pid += s.rng.randint(20, 90)
        s.log("/bookings/prod/cron", bst, t, fmt.syslog(s, t, host, "CRON[%d]" % pid, "(bookings) CMD (cd /var/www/bookings && php bin/console app:reminders:send --workers=8 >> var/log/cron.log 2>&1)"))
        tt = t + 1.2
        if t >= FULL:
            s.log("/bookings/prod/batch", bst, tt, fmt.monolog(s, tt, "console", "CRITICAL", 'Error thrown while running command "app:reminders:send --workers=8". Message: "An exception occurred in the driver: SQLSTATE[HY000] [1040] Too many connections"', '{"exception":"[object] (Doctrine\\\\DBAL\\\\Exception\\\\ConnectionException(code: 1040))","command":"app:reminders:send --workers=8","message":"An exception occurred in the driver: SQLSTATE[HY000] [1040] Too many connections"}'))
            continue
        if t < PILE:
            n = s.rng.randint(20, 60)
            s.log("/bookings/prod/batch", bst, tt, fmt.monolog(s, tt, "app", "INFO", "reminders:send started pid=%d workers=8 due=%d" % (pid, n)))
            s.log("/bookings/prod/batch", bst, tt + 14, fmt.monolog(s, tt + 14, "app", "INFO", "reminders:send finished pid=%d sent=%d duration=%.1fs" % (pid, n, s.rng.uniform(9, 19))))
        else:
            running.append(pid)
            if len(running) > 1:
                s.log("/bookings/prod/batch", bst, tt - 0.5, fmt.monolog(s, tt - 0.5, "app", "WARNING",
                      "reminders:send: %d previous run(s) still active (oldest pid=%d), starting anyway" % (len(running) - 1, running[0])))
            s.log("/bookings/prod/batch", bst, tt, fmt.monolog(s, tt, "app", "INFO", "reminders:send started pid=%d workers=8 due=%d" % (pid, s.rng.randint(38000, 41000))))
            s.log("/bookings/prod/batch", bst, tt + 40, fmt.monolog(s, tt + 40, "app", "INFO", "reminders:send pid=%d progress sent=%d/%d (workers=8, each holding a DB connection)" % (pid, s.rng.randint(40, 400), 40000)))
    for t in every(s, LOG_FROM, -5, 420, 100):
        s.log("/aws/rds/instance/bookings-mysql/error", "bookings-mysql", t, fmt.mysql_err(s, t, s.rng.randint(100000, 300000), "Note", "MY-010914",
              "Aborted connection %d to db: 'bookings' user: 'bookings_app' host: '10.52.%d.%d' (Got timeout reading communication packets)."
              % (s.rng.randint(3000000, 3999999), s.rng.randint(0, 15), s.rng.randint(4, 250))))
    s.log("/bookings/prod/batch", bst, -4390, fmt.monolog(s, -4390, "app", "INFO", "partner import: 38,912 bookings imported from feed qantas-holidays-2026-11-20.csv (reminders due on import)"))
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "bookings-web-prod", "bitbucket-pipelines")
    s.alarm("bookings-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 30,
            "GreaterThanThreshold", t5, desc="bookings web 5xx", state="ALARM")
    s.alarm("bookings-mysql-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "bookings-mysql"}, "Maximum", 60, 5, 400,
            "GreaterThanThreshold", s.values("DatabaseConnections", DBInstanceIdentifier="bookings-mysql"), state="ALARM")
    s.expect = {"alarm": "bookings-alb-target-5xx",
                "root_cause": {"category": "db_connection_exhaustion", "resource": ["bookings-mysql"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "bookings-mysql"}},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
