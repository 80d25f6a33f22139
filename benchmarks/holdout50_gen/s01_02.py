"""h50-01 (CodeDeploy in-place, Tomcat) and h50-02 (one PHP-FPM instance fills its disk)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, times
from . import fmt

SPRING_FRAMES = ["java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                 "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
                 "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:117)",
                 "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1067)",
                 "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
                 "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)",
                 "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
                 "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1743)",
                 "java.base/java.lang.Thread.run(Thread.java:840)"]


def h01():
    s = Scn(1, "h50-01-codedeploy-inplace-tomcat-nosuchmethod", "us-east-1",
            "Orders web tier behind orders-web-alb returning 5xx; the ALB target 5XX alarm paged on-call.",
            dt.datetime(2026, 11, 18, 15, 20, 0), 5001)
    alb, tg = "app/orders-web-alb/7c1e2f9a4b3d5e60", "targetgroup/orders-web-tg/3f9a1c7e5b2d4a68"
    fleet = [inst(s, "orders-web-%02d" % k, "10.20") for k in range(1, 5)]
    rep = inst(s, "reporting-01", "10.20")
    groups = ["/orders-web/prod/access", "/orders-web/prod/app", "/orders-web/prod/codedeploy"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="m6i.large", autoscaling_group="orders-web-asg",
              codedeploy_application="orders-web", codedeploy_deployment_group="orders-web-prod",
              platform="Amazon Linux 2023 / Corretto 17 / Tomcat 9 (Spring Boot jar)", private_ip=i["ip"], log_groups=groups)
    s.res("ec2", rep["id"], name="reporting-01", instance_type="r6i.large", private_ip=rep["ip"],
          log_groups=["/reporting/ssm-agent"])
    s.res("alb", alb, name="orders-web-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "orders-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
          max_connections=1600, allocated_storage_gb=500, multi_az=True)

    dep0, dep_old = -2520, -19800
    starts = [dep0 + 30 + 180 * k for k in range(4)]          # OneAtATime: BlockTraffic at start, AllowTraffic +150 s
    out = lambda k, t: starts[k] <= t < starts[k] + 150
    new = lambda k, t: t >= starts[k] + 150
    old_out = lambda k, t: dep_old + 30 + 180 * k <= t < dep_old + 180 + 180 * k
    req_tot = lambda t: 1650.0 * diurnal(s, t, 0.22, 14.5)
    n_in = lambda t: sum(1 for k in range(4) if not out(k, t) and not old_out(k, t))
    share = lambda k, t: 0.0 if out(k, t) or old_out(k, t) else req_tot(t) / n_in(t)
    FAIL = 0.095                                                # share of requests hitting TaxTable (quote + place order)
    req = counts(s, req_tot)
    t5 = counts(s, lambda t: 0.6 + sum(share(k, t) * FAIL for k in range(4) if new(k, t)))
    rt = series(s, lambda t: 0.092 * diurnal(s, t, 0.1) + (0.05 if n_in(t) < 4 else 0), noise=0.008, lo=0.03)
    healthy = [float(n_in(t)) for t in GRID]
    alb_metrics(s, alb, tg, req, t5, rt, healthy, [0.0] * 360)
    asg_metrics(s, "orders-web-asg", [4.0] * 360, [4.0] * 360)
    for k, i in enumerate(fleet):
        cpu = series(s, lambda t, k=k: (92.0 if (out(k, t) and t - starts[k] > 40) or (old_out(k, t) and t - dep_old - 180 * k > 70)
                                        else 9.0 + share(k, t) / 13.0), noise=2.5, hi=100)
        mem = series(s, lambda t, k=k: 48 + min(16, (t - (starts[k] if t >= starts[k] else dep_old + 180 * k)) / 700.0), noise=0.6)
        ec2_metrics(s, i, cpu, mem, series(s, lambda t: 41.0 + (t + 21600) / 60000.0, noise=0.05))
    ec2_metrics(s, rep, series(s, lambda t: 12 + bump(t, -9060, -8220, 70), noise=3, hi=100),
                series(s, lambda t: 37.0, noise=1.0), series(s, lambda t: 58.0, noise=0.05))
    rds_default(s, "orders-pg", cpu=24.0, conns=80.0, free_gb=310.0, mem_gb=21.0, riops=900.0, wiops=420.0)

    # ---- logs ----------------------------------------------------------------------
    cl = clients(s, "10.20")
    routes = [("GET", "/api/v1/catalog/items?page=%d", 0.46), ("GET", "/api/v1/cart/%d", 0.3),
              ("POST", "/api/v1/checkout/quote", 0.07), ("POST", "/api/v1/orders", 0.025),
              ("GET", "/api/v1/orders/%d", 0.145)]
    for k, i in enumerate(fleet):
        acc, app, cd, st = groups[0], groups[1], groups[2], i["id"]
        pids = (s.rng.randint(2000, 9000), s.rng.randint(40000, 60000))
        pidf = lambda t, k=k: pids[1] if t >= starts[k] + 53 else pids[0]
        for t in times(s, LOG_FROM, -5, lambda t, k=k: 0.0 if out(k, t) else 5.0):
            x = s.rng.random()
            for m, p, w in routes:
                x -= w
                if x < 0:
                    break
            path = p % s.rng.randint(1, 99999) if "%d" in p else p
            fail = "checkout/quote" in p or p == "/api/v1/orders"
            thread = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            if fail and new(k, t):
                s.log(acc, st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 500, 0, s.rng.randint(9, 30)))
                frames = ["com.acme.orders.pricing.QuoteService.taxFor(QuoteService.java:148)",
                          "com.acme.orders.pricing.QuoteService.quote(QuoteService.java:92)",
                          ("com.acme.orders.web.CheckoutController.quote(CheckoutController.java:57)" if "quote" in p
                           else "com.acme.orders.web.OrderController.place(OrderController.java:71)")] + SPRING_FRAMES
                err = "java.lang.NoSuchMethodError: 'java.math.BigDecimal com.acme.pricing.tax.TaxTable.rateFor(java.lang.String, java.time.LocalDate)'"
                s.log(app, st, t + 0.004, fmt.spring(s, t, "ERROR", pidf(t), thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed; nested exception is %s] with root cause\n\n%s"
                      % (err, fmt.jstack(err, frames))))
            else:
                s.log(acc, st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 200, s.rng.randint(300, 9000), s.rng.randint(12, 140)))
                if fail and s.rng.random() < 0.6:
                    s.log(app, st, t + 0.003, fmt.spring(s, t, "INFO", pidf(t), thread, "c.a.orders.web.OrderController",
                          "Quote q_%s computed cart=%d lines=%d total=%.2f USD tax=%.2f" % (s.hexid(10), s.rng.randint(1, 9999999),
                          s.rng.randint(1, 7), s.rng.uniform(9, 600), s.rng.uniform(0.5, 40))))
        for t in every(s, LOG_FROM, -5, 15, 1):
            if not out(k, t):
                s.log(acc, st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.20.0.14", "10.20.8.77"]), "GET", "/actuator/health", 200, 15, 2))
        for t in times(s, LOG_FROM, -5, 1.1):      # pre-existing, same rate before and after the deploy
            s.log(app, st, t, fmt.spring(s, t, "WARN", pidf(t), "http-nio-8080-exec-%d" % s.rng.randint(1, 200),
                  "c.a.o.client.RecommendationClient", "recommendations-svc call timed out after 800 ms (GET /v2/recs?customer=%d), serving fallback list"
                  % s.rng.randint(1, 999999)))
        for t in every(s, LOG_FROM, -5, 300, 2):
            if not out(k, t):
                s.log(app, st, t, fmt.spring(s, t, "INFO", pidf(t), "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                      "HikariPool-1 - Pool stats (total=20, active=%d, idle=%d, waiting=0)" % ((lambda a: (a, 20 - a))(s.rng.randint(1, 6)))))
        for dep, t, jar in (("d-2C7RM0LQF", dep_old + 30 + 180 * k, "orders-web-2026.11.17-1630.jar (git 51be0a2)"),
                            ("d-8PZ3WQY2K", starts[k], "orders-web-2026.11.18-1402.jar (git 8c41e0d)")):
            cd_steps(s, cd, st, dep, t, jar)
        t = starts[k]
        s.log(app, st, t + 34.5, fmt.spring(s, t + 34.5, "INFO", pids[0], "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"))
        for off, lg, msg in [(53, "c.a.orders.OrdersApplication", "Starting OrdersApplication v2026.11.18-1402 using Java 17.0.9 with PID %d (/opt/orders-web/orders-web-2026.11.18-1402.jar started by orders in /opt/orders-web)" % pids[1]),
                             (53.1, "c.a.orders.OrdersApplication", "The following 1 profile is active: \"prod\""),
                             (61, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port(s): 8080 (http)"),
                             (70, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                             (77, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port(s): 8080 (http) with context path ''"),
                             (77.2, "c.a.orders.OrdersApplication", "Started OrdersApplication in 24.61 seconds (process running for 26.02)")]:
            s.log(app, st, t + off, fmt.spring(s, t + off, "INFO", pids[1], "main", lg, msg))
    for t in every(s, LOG_FROM, -5, 300, 4):
        s.log("/aws/rds/instance/orders-pg/postgresql", "orders-pg.0", t, fmt.pg(s, t, "@", 612, "LOG",
              "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=269.841 s, sync=0.004 s, total=269.866 s"
              % ((lambda b: (b, b / 1310.72))(s.rng.randint(1500, 4200)) + (s.rng.randint(1, 4),))))
    for off, lvl, msg in [(0, "INFO", "[ssm-agent-worker] [MessageService] [MGSInteractor] received command: 0a9c6f1e-22b1-4d0b-93f2-5b7a0e4d1c88 document AWS-RunPatchBaseline"),
                          (2, "INFO", "[ssm-agent-worker] [PatchBaseline] Operation: Install, SnapshotId: 4d6b7c1e, RebootOption: NoReboot"),
                          (410, "INFO", "[ssm-agent-worker] [PatchBaseline] Installed 7 packages (kernel-livepatch, openssl-libs, curl, libcurl, glibc, glibc-common, tzdata)"),
                          (840, "INFO", "[ssm-agent-worker] [MessageService] command 0a9c6f1e-22b1-4d0b-93f2-5b7a0e4d1c88 complete: Success")]:
        s.log("/reporting/ssm-agent", rep["id"], -9060 + off, fmt.ssm_agent(s, -9060 + off, lvl, msg))

    s.change(dep_old, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "orders-web-prod", "jenkins-deployer")
    s.change(dep0, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "orders-web-prod", "jenkins-deployer")
    s.change(-9070, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", rep["id"], "ssm-maintenance-window")
    s.alarm("orders-web-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 50,
            "GreaterThanThreshold", t5, desc="orders-web targets returning 5xx", state="ALARM")
    s.alarm("reporting-01-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": rep["id"]}, "Average", 300, 1, 70,
            "GreaterThanThreshold", s.values("CPUUtilization", InstanceId=rep["id"]), state="OK")
    ids = [i["id"] for i in fleet] + [i["name"] for i in fleet]
    s.expect = {"alarm": "orders-web-alb-target-5xx",
                "root_cause": {"category": "bad_deployment", "resource": ids + ["orders-web-asg", "orders-web", "orders-web-prod"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s



def cd_steps(s, group, stream, dep, t, jar):
    """codedeploy-agent-deployments.log for one in-place deployment behind an ALB."""
    steps = [(0, "LifecycleEvent - BeforeBlockTraffic"), (2, "LifecycleEvent - BlockTraffic"), (31, "LifecycleEvent - AfterBlockTraffic"),
             (33, "LifecycleEvent - ApplicationStop"), (33.4, "Script - scripts/stop_server.sh"), (34, "[stdout]Stopping orders-web.service"),
             (41, "LifecycleEvent - DownloadBundle"), (44, "LifecycleEvent - BeforeInstall"), (44.3, "Script - scripts/before_install.sh"),
             (46, "LifecycleEvent - Install"), (49, "LifecycleEvent - AfterInstall"), (49.2, "Script - scripts/after_install.sh"),
             (49.6, "[stdout]installed /opt/orders-web/" + jar),
             (50, "LifecycleEvent - ApplicationStart"), (50.2, "Script - scripts/start_server.sh"), (51, "[stdout]Started orders-web.service"),
             (112, "LifecycleEvent - ValidateService"), (112.3, "Script - scripts/validate.sh"), (118, "[stdout]GET /actuator/health -> 200 UP"),
             (120, "LifecycleEvent - BeforeAllowTraffic"), (122, "LifecycleEvent - AllowTraffic"), (150, "LifecycleEvent - AfterAllowTraffic")]
    for off, msg in steps:
        s.log(group, stream, t + off, fmt.codedeploy(s, t + off, dep, msg))


def h02():
    s = Scn(2, "h50-02-php-fleet-one-instance-data-volume-full", "eu-west-1",
            "Intermittent HTTP 500s on the shop storefront; shop-web-alb target 5XX alarm in ALARM.",
            dt.datetime(2026, 11, 19, 10, 40, 0), 5002)
    alb, tg = "app/shop-web-alb/2b8e6d0f1a9c4e37", "targetgroup/shop-web-tg/9d1e4c2a7b6f3e05"
    fleet = [inst(s, "shop-web-1" + z, "10.31") for z in "abc"]
    bad = fleet[1]
    groups = ["/shop/prod/nginx-access", "/shop/prod/nginx-error", "/shop/prod/laravel", "/shop/prod/php-fpm"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.large", autoscaling_group="shop-web-asg",
              platform="Amazon Linux 2023 / nginx 1.24 / PHP-FPM 8.2 (Laravel 10)", private_ip=i["ip"],
              volumes={"/": "gp3 20 GiB", "/data": "gp3 50 GiB (storage/ symlinked here)"}, log_groups=groups)
    s.res("alb", alb, name="shop-web-alb", target_group=tg, targets=[i["id"] for i in fleet], health_check="GET /healthz (nginx static)")
    s.res("rds", "shop-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
          max_connections=1000, allocated_storage_gb=200)
    step = lambda t: int((t + 21600) // 600)
    data_bad = lambda t: min(100.0, 40.0 + 1.85 * step(t) + 1.85 * min(1.0, ((t + 21600) % 600) / 240.0))
    FULL = next(t for t in range(-21600, 0, 5) if data_bad(t) >= 99.95)
    req_tot = lambda t: 1250.0 * diurnal(s, t, 0.3, 13)
    fail_p = lambda i, t: 0.36 if i is bad and t >= FULL else 0.0
    t5 = counts(s, lambda t: 0.4 + sum(req_tot(t) / 3 * fail_p(i, t) for i in fleet))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.16 * diurnal(s, t, 0.15, 13), noise=0.012, lo=0.05),
                [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "shop-web-asg", [3.0] * 360, [3.0] * 360)
    dep = -14400
    for i in fleet:
        cpu = series(s, lambda t: 6 + req_tot(t) / 3 / 14.0 + bump(t, dep + 20, dep + 200, 25), noise=2.2, hi=100)
        ec2_metrics(s, i, cpu, series(s, lambda t: 41.0, noise=0.8), series(s, lambda t: 34.0 + (t + 21600) / 90000.0, noise=0.04))
        data = series(s, data_bad if i is bad else (lambda t: 22.0 + (t + 21600) / 50000.0), noise=0.03, hi=100)
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": i["id"], "path": "/data", "device": "nvme1n1", "fstype": "xfs"}, "Percent", data)
    rds_default(s, "shop-mysql", cpu=21.0, conns=95.0, free_gb=120.0, mem_gb=9.0)

    cl = clients(s, "10.31", 30)
    srv = "shop.example.eu"
    routes = [("GET", "/", 0.18, False), ("GET", "/category/%s", 0.27, False), ("GET", "/product/%d", 0.3, False),
              ("POST", "/cart/add", 0.1, True), ("GET", "/cart", 0.08, True), ("POST", "/checkout", 0.04, True),
              ("GET", "/build/assets/app-3f9c2b1e.js", 0.03, False)]
    for i in fleet:
        st = i["id"]
        fpm_pid = s.rng.randint(900, 1300)
        for t in times(s, LOG_FROM, -5, lambda t: 4.2 * diurnal(s, t, 0.3, 13)):
            x = s.rng.random()
            for m, p, w, sess in routes:
                x -= w
                if x < 0:
                    break
            path = p % (s.rng.choice(["shoes", "outdoor", "kids", "sale", "bags"]) if "%s" in p else s.rng.randint(1000, 99999)) if "%" in p else p
            c, ua = s.rng.choice(cl), s.rng.choice(fmt.UA[:5])
            failing = (sess or s.rng.random() < 0.25) and i is bad and t >= FULL and s.rng.random() < 0.8
            if failing:
                rt = s.rng.uniform(0.03, 0.12)
                s.log(groups[0], st, t, fmt.nginx_access(s, t, c, m, path, 500, 6112, rt, ua, rt))
                sid = s.hexid(40)
                where = s.rng.choice([("framework/sessions/" + sid, "Illuminate/Filesystem/Filesystem.php:204"),
                                      ("framework/cache/data/%s/%s/%s" % (s.hexid(2), s.hexid(2), s.hexid(40)), "Illuminate/Filesystem/Filesystem.php:204"),
                                      ("framework/views/%s.php" % s.hexid(40), "Illuminate/Filesystem/Filesystem.php:204")])
                s.log(groups[2], st, t - 0.01, fmt.monolog(s, t, "production", "ERROR",
                      "file_put_contents(): Write of %d bytes failed with errno=28 No space left on device" % s.rng.randint(300, 9000),
                      '{"userId":null,"exception":"[object] (ErrorException(code: 0): file_put_contents(): Write of %d bytes failed with errno=28 No space left on device at /var/www/shop/vendor/laravel/framework/src/%s)\\n[stacktrace]\\n#0 [internal function]: Illuminate\\\\Foundation\\\\Bootstrap\\\\HandleExceptions->handleError(8, \'file_put_conten...\', \'/var/www/shop/v...\', 204)\\n#1 /var/www/shop/vendor/laravel/framework/src/Illuminate/Filesystem/Filesystem.php(204): file_put_contents(\'/var/www/shop/s...\', \'a:4:{s:6:\\"_toke...\', 2)\\n#2 /var/www/shop/vendor/laravel/framework/src/Illuminate/Session/FileSessionHandler.php(90): Illuminate\\\\Filesystem\\\\Filesystem->put(\'/var/www/shop/s...\', \'a:4:{s:6:\\"_toke...\', true)\\n#3 /var/www/shop/vendor/laravel/framework/src/Illuminate/Session/Store.php(176): Illuminate\\\\Session\\\\FileSessionHandler->write(\'%s\', \'a:4:{s:6:\\"_toke...\')"}'
                      % (s.rng.randint(300, 9000), where[1], sid)))
            else:
                rt = s.rng.uniform(0.02, 0.35) if not path.startswith("/build") else 0.0
                s.log(groups[0], st, t, fmt.nginx_access(s, t, c, m, path, 302 if m == "POST" else 200,
                      s.rng.randint(800, 48000), rt, ua, None if rt == 0 else rt - 0.001))
        for t in every(s, LOG_FROM, -5, 10, 1):
            s.log(groups[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.31.0.21", "10.31.8.40"]), "GET", "/healthz", 200, 2, 0.0, "ELB-HealthChecker/2.0"))
        for t in times(s, LOG_FROM, -5, 2.0):       # steady, pre-existing noise on every instance
            s.log(groups[3], st, t, fmt.fpm(s, t, "WARNING", "[pool www] child %d said into stderr: \"PHP Deprecated:  Creation of dynamic property App\\Models\\Product::$legacy_sku is deprecated in /var/www/shop/app/Models/Product.php on line 212\"" % s.rng.randint(fpm_pid + 1, fpm_pid + 60)))
        for t in every(s, LOG_FROM, -5, 60, 5):
            s.log(groups[2], st, t, fmt.monolog(s, t, "production", "INFO", "queue: processed %d jobs (App\\Jobs\\SyncStock, App\\Jobs\\SendOrderMail) in %d ms" % (s.rng.randint(3, 40), s.rng.randint(80, 900))))
    st = bad["id"]
    for n in range(step(LOG_FROM), 37):
        t = -21600 + n * 600 + 1.5
        if t > -5:
            break
        if t < FULL:
            s.log(groups[2], st, t, fmt.monolog(s, t, "production", "INFO", "schedule: running sitemap:generate on leader shop-web-1b"))
        if t + 236 > FULL > t:
            s.log(groups[2], st, FULL + 12, fmt.monolog(s, FULL + 12, "production", "ERROR", "sitemap:generate failed: fwrite(): Write of 8192 bytes failed with errno=28 No space left on device"))
        elif t < FULL:
            s.log(groups[2], st, t + 236, fmt.monolog(s, t + 236, "production", "INFO", "sitemap:generate wrote 418 files (%.1f MB) to storage/app/sitemaps/build-%s" % (s.rng.uniform(905, 935), s.at(t).strftime("%Y%m%d-%H%M"))))
            s.log(groups[2], st, t + 237, fmt.monolog(s, t + 237, "production", "WARNING", "sitemap:generate could not remove previous build storage/app/sitemaps/build-%s: rmdir(): Directory not empty" % s.at(t - 600).strftime("%Y%m%d-%H%M")))
        else:
            s.log(groups[2], st, t + 40, fmt.monolog(s, t + 40, "production", "ERROR", "sitemap:generate failed: fwrite(): Write of 8192 bytes failed with errno=28 No space left on device"))
    for t in times(s, FULL, -5, 3.0):
        s.log(groups[1], st, t, fmt.nginx_error(s, t, "error", 2290, s.rng.randint(400000, 900000),
              "FastCGI sent in stderr: \"PHP message: PHP Warning:  file_put_contents(): Write of %d bytes failed with errno=28 No space left on device in /var/www/shop/vendor/laravel/framework/src/Illuminate/Filesystem/Filesystem.php on line 204\" while reading response header from upstream" % s.rng.randint(300, 9000),
              s.rng.choice(cl), srv, "POST /cart/add HTTP/1.1", "fastcgi://unix:/run/php-fpm/www.sock:", srv))
    for t in every(s, LOG_FROM, -5, 600, 60):
        s.log("/aws/rds/instance/shop-mysql/error", "shop-mysql", t, fmt.mysql_err(s, t, s.rng.randint(80000, 99000), "Note", "MY-010914",
              "Aborted connection %d to db: 'shop' user: 'shop_app' host: '10.31.%d.%d' (Got an error reading communication packets)."
              % (s.rng.randint(800000, 999999), s.rng.randint(0, 15), s.rng.randint(4, 250))))
    for i in fleet:
        for off, msg in [(0, "LifecycleEvent - ApplicationStop"), (4, "LifecycleEvent - DownloadBundle"), (9, "LifecycleEvent - Install"),
                         (14, "LifecycleEvent - AfterInstall"), (14.5, "[stdout]php artisan config:cache && php artisan view:cache"),
                         (22, "LifecycleEvent - ApplicationStart"), (22.3, "[stdout]Reloading php-fpm: [  OK  ]"), (30, "LifecycleEvent - ValidateService")]:
            s.log("/shop/prod/codedeploy", i["id"], dep + 20 + off, fmt.codedeploy(s, dep + 20 + off, "d-5JQW1ZB7E", msg))
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "shop-web-prod", "gitlab-ci")
    s.alarm("shop-web-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 40,
            "GreaterThanThreshold", t5, desc="Storefront 5xx from targets", state="ALARM")
    s.alarm("shop-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "shop-mysql"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", s.values("CPUUtilization", DBInstanceIdentifier="shop-mysql"), state="OK")
    s.expect = {"alarm": "shop-web-alb-target-5xx",
                "root_cause": {"category": "storage_exhaustion", "resource": [bad["id"], bad["name"]]},
                "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                               "dimensions": {"InstanceId": bad["id"], "path": "/data", "device": "nvme1n1", "fstype": "xfs"}},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
