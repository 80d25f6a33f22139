"""h50-15 (monthly export cron pins RDS MySQL CPU; PHP fleet slows) and
h50-16 (CodeDeploy blue/green on Windows/.NET: green fleet fails an assembly binding)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, rds_metrics, times
from . import fmt
from .s13_14 import WEBAPI

GB = 1024 ** 3


def h15():
    s = Scn(15, "h50-15-rds-mysql-cpu-pinned-monthly-export", "ap-south-1",
            "CPU alarm on crm-mysql; CRM web pages slow, some requests failing.",
            dt.datetime(2026, 12, 1, 4, 10, 0), 5015)
    alb, tg = "app/crm-alb/3e9a5c1f7b2d0684", "targetgroup/crm-web-tg/8b2d4f6a0c1e3957"
    fleet = [inst(s, "crm-web-%d" % k, "10.48") for k in range(1, 5)]
    batch = inst(s, "crm-batch-01", "10.48")
    G = ["/crm/prod/nginx-access", "/crm/prod/laravel"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.large", autoscaling_group="crm-web-asg",
              platform="Ubuntu 22.04 / nginx / PHP-FPM 8.2 (Laravel 10)", private_ip=i["ip"], log_groups=G)
    s.res("ec2", batch["id"], name=batch["name"], instance_type="m6i.large", platform="Ubuntu 22.04 / PHP 8.2 CLI (cron)",
          private_ip=batch["ip"], log_groups=["/crm/prod/batch", "/crm/prod/cron"])
    s.res("alb", alb, name="crm-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "crm-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large", vcpus=2, max_connections=1000,
          allocated_storage_gb=500, parameter_group="crm-mysql80 (max_execution_time=10000 for crm_web)")
    EXP, dep, PARAM = -2400, -6600, -7800
    busy = lambda t: t >= EXP + 20
    req_tot = lambda t: 900.0 * diurnal(s, t, 0.3, 6)
    fail = lambda t: 0.0 if not busy(t) else min(0.09, (t - EXP) / 6000.0)
    t5 = counts(s, lambda t: 0.3 + req_tot(t) * fail(t))
    rt = series(s, lambda t: 0.19 if not busy(t) else 0.19 + min(3.2, (t - EXP) / 300.0), noise=0.05, rel=True, lo=0.05)
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, rt, [4.0] * 360, [0.0] * 360)
    asg_metrics(s, "crm-web-asg", [4.0] * 360, [4.0] * 360)
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 8 + req_tot(t) / 4 / 18.0 + bump(t, dep + 15, dep + 100, 20) - (4 if busy(t) else 0), noise=2, hi=100),
                    series(s, lambda t: 49.0 + (6 if busy(t) else 0), noise=0.6), series(s, lambda t: 31.0, noise=0.03))
    ec2_metrics(s, batch, series(s, lambda t: 3 if not busy(t) else 17, noise=1.5, hi=100), series(s, lambda t: 18 if not busy(t) else 34, noise=0.5),
                series(s, lambda t: 44.0 + (0 if not busy(t) else (t - EXP) / 900.0), noise=0.02))
    rds_metrics(s, "crm-mysql",
                series(s, lambda t: 21 + bump(t, -14000, -13200, 8) if not busy(t) else min(99.6, 21 + (t - EXP) * 0.8), noise=1.5, hi=100),
                series(s, lambda t: 132 + (36 if busy(t) else 0), noise=4),
                series(s, lambda t: 212 * GB - (t + 21600) * 2500.0, noise=4e7),
                series(s, lambda t: 2.9 * GB - (0.6 * GB if busy(t) else 0), noise=4e7),
                series(s, lambda t: 0.0011 if not busy(t) else 0.0063, noise=0.0004, lo=0.0003),
                series(s, lambda t: 0.0016 if not busy(t) else 0.0031, noise=0.0003, lo=0.0003),
                series(s, lambda t: 240.0 if not busy(t) else 2900.0, noise=25), series(s, lambda t: 95.0, noise=12))

    cl = clients(s, "10.48", 50)
    for i in fleet:
        st = i["id"]
        for t in times(s, LOG_FROM, -5, lambda t: 4.0 * diurnal(s, t, 0.3, 6)):
            p = s.rng.choice(["/contacts/%d" % s.rng.randint(10 ** 5, 10 ** 6), "/contacts?page=%d" % s.rng.randint(1, 40), "/deals/pipeline",
                              "/activities/timeline/%d" % s.rng.randint(10 ** 5, 10 ** 6), "/dashboard", "/api/search?q=%s" % s.rng.choice(["acme", "rao", "tata", "mehta"])])
            c, ua = s.rng.choice(cl), s.rng.choice(fmt.UA[:4])
            if busy(t) and s.rng.random() < fail(t) * 1.1:
                s.log(G[0], st, t + 10.1, fmt.nginx_access(s, t, c, "GET", p, 500, 1462, 10.1, ua, 10.1))
                s.log(G[1], st, t + 10.09, fmt.monolog(s, t + 10.09, "production", "ERROR",
                      "SQLSTATE[HY000]: General error: 3024 Query execution was interrupted, maximum statement execution time exceeded (Connection: mysql, SQL: select * from `activities` where `contact_id` = %d order by `created_at` desc limit 50)" % s.rng.randint(10 ** 5, 10 ** 6),
                      '{"userId":%d,"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: HY000): SQLSTATE[HY000]: General error: 3024 Query execution was interrupted, maximum statement execution time exceeded at /var/www/crm/vendor/laravel/framework/src/Illuminate/Database/Connection.php:822)"}' % s.rng.randint(100, 9000)))
            else:
                r = s.rng.uniform(0.05, 0.4) * (1 if not busy(t) else 1 + min(20, (t - EXP) / 60.0))
                s.log(G[0], st, t + r, fmt.nginx_access(s, t, c, "GET", p, 200, s.rng.randint(3000, 90000), r, ua, r - 0.001))
        for t in every(s, LOG_FROM, -5, 10, 1):
            s.log(G[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.48.0.6", "10.48.8.13"]), "GET", "/healthz", 200, 2, 0.0, "ELB-HealthChecker/2.0"))
        for t in times(s, LOG_FROM, -5, 0.8):
            s.log(G[1], st, t, fmt.monolog(s, t, "production", "WARNING", "Mail: SES suppression list hit for %s@%s, skipping" % (s.hexid(6), s.rng.choice(["gmail.com", "yahoo.co.in", "rediffmail.com"]))))
        for off, msg in [(0, "LifecycleEvent - ApplicationStop"), (6, "LifecycleEvent - Install"), (9, "[stdout]php artisan migrate --force: Nothing to migrate."),
                         (13, "LifecycleEvent - ApplicationStart"), (20, "LifecycleEvent - ValidateService")]:
            s.log("/crm/prod/codedeploy", st, dep + 15 + off, fmt.codedeploy(s, dep + 15 + off, "d-YB4LR91KS", msg))
    bst = batch["id"]
    for t in every(s, LOG_FROM, -5, 300, 0.3):
        s.log("/crm/prod/cron", bst, t, fmt.syslog(s, t, batch["host"], "CRON[%d]" % s.rng.randint(10000, 90000), "(crm) CMD (cd /var/www/crm && php artisan schedule:run >> /dev/null 2>&1)"))
    s.log("/crm/prod/batch", bst, EXP + 1, fmt.monolog(s, EXP + 1, "production", "INFO", "Running scheduled command: crm:monthly-activity-export --month=2026-11 --parallel=8"))
    for w in range(8):
        s.log("/crm/prod/batch", bst, EXP + 2 + w * 0.3, fmt.monolog(s, EXP + 2 + w * 0.3, "production", "INFO", "export worker %d/8 started: contacts shard %d, range %d-%d" % (w + 1, w, w * 125000, (w + 1) * 125000 - 1)))
    for t in every(s, EXP + 300, -5, 300, 5):
        s.log("/crm/prod/batch", bst, t, fmt.monolog(s, t, "production", "INFO", "export progress: %d/1000000 contacts, %d activity rows written" % (int((t - EXP) * 9), int((t - EXP) * 610))))
    sq = "/aws/rds/instance/crm-mysql/slowquery"
    for t in every(s, EXP + 60, -5, 45, 10):
        w = s.rng.randint(0, 7)
        qt = min(t - EXP, s.rng.uniform(200, 1800))
        s.log(sq, "crm-mysql", t, "# Time: %s.%06dZ\n# User@Host: crm_batch[crm_batch] @  [%s]  Id: %d\n# Query_time: %.6f  Lock_time: 0.000118 Rows_sent: %d  Rows_examined: %d\nSET timestamp=%d;\n"
              "SELECT a.id, a.contact_id, a.type, a.subject, a.created_at, c.email, c.company FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE DATE_FORMAT(a.created_at, '%%Y-%%m') = '2026-11' AND c.id BETWEEN %d AND %d ORDER BY a.created_at;"
              % (s.at(t).strftime("%Y-%m-%dT%H:%M:%S"), s.rng.randint(0, 999999), batch["ip"], 880000 + w, qt, s.rng.randint(40000, 90000), s.rng.randint(40_000_000, 52_000_000),
                 int(s.at(t).timestamp()), w * 125000, (w + 1) * 125000 - 1))
    for t in times(s, LOG_FROM, -5, lambda t: 0.3 if not busy(t) else 6.0):
        qt = s.rng.uniform(1.0, 1.6) if not busy(t) else s.rng.uniform(2, 10)
        s.log(sq, "crm-mysql", t, "# Time: %s.%06dZ\n# User@Host: crm_web[crm_web] @  [%s]  Id: %d\n# Query_time: %.6f  Lock_time: 0.000051 Rows_sent: 50  Rows_examined: %d\nSET timestamp=%d;\n"
              "select * from `activities` where `contact_id` = %d order by `created_at` desc limit 50;"
              % (s.at(t).strftime("%Y-%m-%dT%H:%M:%S"), s.rng.randint(0, 999999), s.rng.choice(fleet)["ip"], s.rng.randint(900000, 990000), qt, s.rng.randint(400, 9000),
                 int(s.at(t).timestamp()), s.rng.randint(10 ** 5, 10 ** 6)))
    s.change(PARAM, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/crm/prod/smtp/from-address", "p.nair")
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "crm-web-prod", "gitlab-ci")
    s.alarm("crm-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "crm-mysql"}, "Average", 300, 2, 90, "GreaterThanThreshold",
            s.values("CPUUtilization", DBInstanceIdentifier="crm-mysql"), desc="crm-mysql CPU above 90%", state="ALARM")
    s.alarm("crm-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Average", 60, 5, 1.5, "GreaterThanThreshold", rt, state="ALARM")
    s.expect = {"alarm": "crm-mysql-cpu-high",
                "root_cause": {"category": "cpu_saturation", "resource": ["crm-mysql"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": "crm-mysql"}}]}
    return s


def h16():
    s = Scn(16, "h50-16-codedeploy-blue-green-dotnet-assembly-binding", "ap-southeast-1",
            "Invoicing API 5xx after the morning release; invoicing-alb target 5XX alarm in ALARM.",
            dt.datetime(2026, 11, 19, 8, 30, 0), 5016)
    alb, tg = "app/invoicing-alb/6a0c2e4f8b1d3579", "targetgroup/invoicing-tg/2f4a6c8e0b1d3579"
    DEP, GASG, DID = -4500, "CodeDeploy_invoicing-prod_d-4HX9Q2ZLA", "d-4HX9Q2ZLA"
    REROUTE = -2160
    blue = [inst(s, "invoicing-web", "10.27") for _ in range(3)]
    green = [inst(s, "invoicing-web", "10.27", alive=(DEP + 30 + 4 * k, 10 ** 9)) for k in range(3)]
    batch = inst(s, "invoicing-batch-01", "10.27")
    G = ["/invoicing/prod/iis", "/invoicing/prod/app", "/invoicing/prod/codedeploy"]
    for i in blue:
        s.res("ec2", i["id"], name="invoicing-web", instance_type="m5.large", autoscaling_group="invoicing-web-asg",
              codedeploy_deployment_group="invoicing-prod", app_version="invoicing 4.12.3", role_in_deployment="blue (original, deregistered, terminates after wait)",
              platform="Windows Server 2022 / IIS 10 / .NET Framework 4.8", private_ip=i["ip"], log_groups=G)
    for i in green:
        s.res("ec2", i["id"], name="invoicing-web", instance_type="m5.large", autoscaling_group=GASG,
              codedeploy_deployment_group="invoicing-prod", app_version="invoicing 4.13.0", role_in_deployment="green (replacement)",
              platform="Windows Server 2022 / IIS 10 / .NET Framework 4.8", private_ip=i["ip"], log_groups=G)
    s.res("ec2", batch["id"], name=batch["name"], instance_type="m5.large", platform="Windows Server 2022", private_ip=batch["ip"], log_groups=["/invoicing/prod/batch-ssm"])
    s.res("alb", alb, name="invoicing-alb", target_group=tg, deployment="CodeDeploy blue/green, invoicing / invoicing-prod")
    s.res("rds", "invoicing-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=300)
    serving = lambda i, t: (t < REROUTE + 30) if i in blue else (t >= REROUTE)
    req_tot = lambda t: 950.0 * diurnal(s, t, 0.25, 7)
    PDF = 0.17
    t5 = counts(s, lambda t: 0.4 + (req_tot(t) * PDF if t >= REROUTE else 0))
    hh = [3.0 if t < REROUTE else (6.0 if t < REROUTE + 30 else 3.0) for t in GRID]
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.16 if t < REROUTE else 0.14, noise=0.012, lo=0.05), hh, [0.0] * 360)
    asg_metrics(s, "invoicing-web-asg", [3.0] * 360, [3.0] * 360)
    asg_metrics(s, GASG, [None if t < DEP + 30 else (0.0 if t < DEP + 420 else 3.0) for t in GRID], [None if t < DEP + 30 else 3.0 for t in GRID])
    for i in blue + green:
        a0 = max(i["alive"][0], -21600)
        ec2_metrics(s, i, series(s, lambda t, i=i, a0=a0: (70.0 if t < a0 + 400 else (30 if t < a0 + 900 else 2)) if not serving(i, t) and i in green and t < REROUTE
                                 else (8 + req_tot(t) / 3 / 16.0 if serving(i, t) else 1.5), noise=1.5, hi=100, alive=(a0, 10 ** 9)),
                    series(s, lambda t: 47.0, noise=0.5, alive=(a0 + 400, 10 ** 9)), series(s, lambda t: 52.0, noise=0.02, alive=(a0 + 400, 10 ** 9)), windows=True)
    ec2_metrics(s, batch, series(s, lambda t: 5 + bump(t, -6000, -5000, 40), noise=1.5, hi=100), series(s, lambda t: 36.0, noise=0.5),
                series(s, lambda t: 61.0, noise=0.02), windows=True)
    rds_default(s, "invoicing-mysql", cpu=18.0, conns=90.0, free_gb=170.0, mem_gb=9.5)

    cl = clients(s, "10.27", 30)
    for i in blue + green:
        st, sip = i["id"], i["ip"]
        a0 = max(i["alive"][0] + 420, LOG_FROM)
        s.log(G[0], st, a0 - 1, "#Software: Microsoft Internet Information Services 10.0")
        s.log(G[0], st, a0 - 0.9, fmt.IIS_HEADER)
        for t in times(s, a0, -5, lambda t, i=i: 4.5 if serving(i, t) else 0):
            inv = s.rng.randint(10 ** 6, 10 ** 7)
            x = s.rng.random()
            if x < PDF:
                stem = "/api/invoices/%d/%s" % (inv, s.rng.choice(["pdf", "pdf", "send"]))
                m = "GET" if stem.endswith("pdf") else "POST"
                if i in green:
                    s.log(G[0], st, t, fmt.iis(s, t, sip, m, stem, None, s.rng.choice(cl), "InvoicingWeb/4 (+https://billing.example.sg)", 500, 0, 0, s.rng.randint(20, 80)))
                    s.log(G[1], st, t - 0.01, fmt.log4net(s, t, s.rng.randint(5, 80), "ERROR", "Invoicing.Api.ErrorHandling.UnhandledExceptionLogger",
                          "Unhandled exception %s %s\r\n%s" % (m, stem, fmt.netstack(
                              "System.IO.FileLoadException: Could not load file or assembly 'Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed' or one of its dependencies. The located assembly's manifest definition does not match the assembly reference. (Exception from HRESULT: 0x80131040)",
                              ["Invoicing.Pdf.InvoiceDocumentBuilder.Build(InvoiceDto invoice)",
                               "Invoicing.Api.Services.InvoicePdfService.Render(Int64 invoiceId) in D:\\a\\1\\s\\src\\Invoicing.Api\\Services\\InvoicePdfService.cs:line 47",
                               "Invoicing.Api.Controllers.InvoicesController.Pdf(Int64 id) in D:\\a\\1\\s\\src\\Invoicing.Api\\Controllers\\InvoicesController.cs:line 93"] + WEBAPI)
                              + "\r\n\r\n=== Pre-bind state information ===\r\nLOG: DisplayName = Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed\r\n (Fully-specified)\r\nLOG: Appbase = file:///C:/inetpub/invoicing/\r\nLOG: Using application configuration file: C:\\inetpub\\invoicing\\web.config\r\nWRN: Comparing the assembly name resulted in the mismatch: Major Version\r\nERR: Failed to complete setup of assembly (hr = 0x80131040). Probing terminated.")))
                else:
                    s.log(G[0], st, t, fmt.iis(s, t, sip, m, stem, None, s.rng.choice(cl), "InvoicingWeb/4 (+https://billing.example.sg)", 200, 0, 0, s.rng.randint(300, 1400)))
            else:
                stem = s.rng.choice(["/api/invoices", "/api/invoices/%d" % inv, "/api/customers/%d" % s.rng.randint(1000, 90000), "/api/payments/recent"])
                s.log(G[0], st, t, fmt.iis(s, t, sip, "GET", stem, "page=%d" % s.rng.randint(1, 30) if stem == "/api/invoices" else None,
                                           s.rng.choice(cl), "InvoicingWeb/4 (+https://billing.example.sg)", 200, 0, 0, s.rng.randint(25, 260)))
        for t in every(s, a0, -5, 15, 1):
            s.log(G[0], st, t, fmt.iis(s, t, sip, "GET", "/health", None, s.rng.choice(["10.27.1.8", "10.27.6.52"]), "ELB-HealthChecker/2.0", 200, 0, 0, 3, port=80))
        for t in times(s, a0, -5, lambda t, i=i: 0.7 if serving(i, t) else 0):
            s.log(G[1], st, t, fmt.log4net(s, t, s.rng.randint(5, 80), "WARN", "Invoicing.Api.Fx.FxRateClient", "MAS rate feed returned stale data (age %dh), using cached SGD rates" % s.rng.randint(25, 28)))
    for i in green:
        t0 = i["alive"][0] + 430
        for off, msg in [(0, "LifecycleEvent - ApplicationStop"), (5, "LifecycleEvent - DownloadBundle"), (12, "LifecycleEvent - BeforeInstall"),
                         (12.5, "Script - scripts\\before-install.ps1"), (20, "LifecycleEvent - Install"), (31, "LifecycleEvent - AfterInstall"),
                         (31.5, "Script - scripts\\configure-iis.ps1"), (40, "[stdout]Site 'invoicing' -> C:\\inetpub\\invoicing (Invoicing.Api 4.13.0)"),
                         (44, "LifecycleEvent - ApplicationStart"), (45, "Script - scripts\\start-site.ps1"), (58, "LifecycleEvent - ValidateService"),
                         (58.5, "Script - scripts\\validate.ps1"), (63, "[stdout]GET http://localhost/health -> 200"),
                         (REROUTE - t0 - 20, "LifecycleEvent - BeforeAllowTraffic"), (REROUTE - t0, "LifecycleEvent - AllowTraffic"), (REROUTE - t0 + 25, "LifecycleEvent - AfterAllowTraffic")]:
            s.log(G[2], i["id"], t0 + off, fmt.codedeploy(s, t0 + off, DID, msg))
    for i in blue:
        for off, msg in [(30, "LifecycleEvent - BeforeBlockTraffic"), (31, "LifecycleEvent - BlockTraffic"), (62, "LifecycleEvent - AfterBlockTraffic")]:
            s.log(G[2], i["id"], REROUTE + off, fmt.codedeploy(s, REROUTE + off, DID, msg))
    for off, msg in [(0, "received command 1e7b3d5f-2a4c-4e6a-8b0d-9f1e3a5c7b9d document AWS-RunPatchBaseline"), (2, "PatchBaseline Operation: Install, RebootOption: NoReboot"),
                     (900, "Installed 2 updates (KB5046616, KB5044020)"), (960, "command 1e7b3d5f-2a4c-4e6a-8b0d-9f1e3a5c7b9d complete: Success")]:
        s.log("/invoicing/prod/batch-ssm", batch["id"], -6000 + off, fmt.ssm_agent(s, -6000 + off, "INFO", msg))
    s.change(-6000, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", batch["id"], "ssm-maintenance-window")
    s.change(DEP, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "invoicing-prod", "azure-devops-release")
    s.change(DEP + 20, "autoscaling.amazonaws.com", "CreateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup", GASG, "CodeDeploy")
    for i in green:
        s.change(i["alive"][0], "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
    s.change(REROUTE - 15, "codedeploy.amazonaws.com", "ContinueDeployment", "AWS::CodeDeploy::DeploymentGroup", "invoicing-prod", "k.tan")
    s.change(REROUTE, "elasticloadbalancing.amazonaws.com", "RegisterTargets", "AWS::ElasticLoadBalancingV2::TargetGroup", tg, "CodeDeploy")
    s.change(REROUTE + 31, "elasticloadbalancing.amazonaws.com", "DeregisterTargets", "AWS::ElasticLoadBalancingV2::TargetGroup", tg, "CodeDeploy")
    s.alarm("invoicing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 30,
            "GreaterThanThreshold", t5, desc="invoicing API 5xx", state="ALARM")
    s.alarm("invoicing-batch-01-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": batch["id"]}, "Average", 300, 1, 35, "GreaterThanThreshold",
            s.values("CPUUtilization", InstanceId=batch["id"]), state="OK")
    s.expect = {"alarm": "invoicing-alb-target-5xx",
                "root_cause": {"category": "bad_deployment",
                               "resource": [i["id"] for i in green] + [GASG, "invoicing-prod", "invoicing", DID, "invoicing-web"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
