"""h50-09 (on-sale traffic surge on a PHP fleet that hits its ASG max) and
h50-10 (self-managed Redis EC2 instance fails its system status check; web fleet errors)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, rds_metrics, times
from . import fmt
from .s01_02 import SPRING_FRAMES

GB = 1024 ** 3


def h09():
    s = Scn(9, "h50-09-php-fleet-onsale-traffic-surge", "us-east-1",
            "tickets-alb response time alarm; the site is slow and some buyers see 502/504 pages.",
            dt.datetime(2026, 11, 20, 15, 32, 0), 5009)
    alb, tg = "app/tickets-alb/9b4d1f6a3c8e2075", "targetgroup/tickets-web-tg/5e1a7c3f9b2d4086"
    SURGE = -1920
    fleet = [inst(s, "tickets-web", "10.14") for _ in range(4)]
    extra = [inst(s, "tickets-web", "10.14", alive=(SURGE + 260 + 20 * k, 10 ** 9)) for k in range(4)]
    rep = inst(s, "tickets-reports-01", "10.14")
    G = ["/tickets/prod/nginx-access", "/tickets/prod/nginx-error", "/tickets/prod/php-fpm"]
    for i in fleet + extra:
        s.res("ec2", i["id"], name="tickets-web", instance_type="c6i.large", autoscaling_group="tickets-web-asg",
              platform="Amazon Linux 2023 / nginx 1.24 / PHP-FPM 8.2", php_fpm="pm=static pm.max_children=24", private_ip=i["ip"], log_groups=G)
    s.res("ec2", rep["id"], name=rep["name"], instance_type="r6i.large", private_ip=rep["ip"], log_groups=["/tickets/prod/reports"])
    s.res("alb", alb, name="tickets-alb", target_group=tg, asg="tickets-web-asg (min 4, max 8, target tracking CPU 55%)")
    s.res("rds", "tickets-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge", max_connections=2000,
          allocated_storage_gb=400)
    base = lambda t: 1350.0 * diurnal(s, t, 0.3, 16)
    req_f = lambda t: base(t) if t < SURGE else base(t) + ramp(t, SURGE, SURGE + 180, 0, 5900) - ramp(t, SURGE + 600, -5, 0, 1200)
    n_in = lambda t: 4 + sum(1 for i in extra if t >= i["alive"][0] + 200)
    load = lambda t: req_f(t) / n_in(t) / 340.0                       # 1.0 = what 4 instances carry on a normal morning
    err_p = lambda t: 0.0 if load(t) < 1.6 else min(0.16, (load(t) - 1.6) * 0.09)
    rt_f = lambda t: 0.17 if load(t) < 1.5 else min(7.5, 0.17 + (load(t) - 1.5) * 2.4)
    req = counts(s, req_f)
    t5 = counts(s, lambda t: 0.6 + req_f(t) * err_p(t))
    rt = series(s, rt_f, noise=0.05, rel=True, lo=0.05)
    alb_metrics(s, alb, tg, req, t5, rt, [float(n_in(t)) for t in GRID],
                [float(sum(1 for i in extra if i["alive"][0] + 120 <= t < i["alive"][0] + 200)) for t in GRID])
    asg_metrics(s, "tickets-web-asg", [float(n_in(t)) for t in GRID], [4.0 if t < SURGE + 240 else 8.0 for t in GRID])
    dep = -12600
    for i in fleet + extra:
        st0 = i["alive"][0]
        cpu = series(s, lambda t, st0=st0: (60.0 if t < st0 + 200 else min(99.0, 6 + 30 * load(t))) + bump(t, dep + 15, dep + 100, 18),
                     noise=1.8, hi=100, alive=(max(st0, -21600), 10 ** 9))
        ec2_metrics(s, i, cpu, series(s, lambda t: 38 + (14 if load(t) > 1.5 else 0), noise=0.8, alive=(max(st0, -21600) + 60, 10 ** 9)),
                    series(s, lambda t: 27.0, noise=0.03, alive=(max(st0, -21600) + 60, 10 ** 9)))
    ec2_metrics(s, rep, series(s, lambda t: 12 if t < -4000 else 88, noise=3, hi=100), series(s, lambda t: 62.0, noise=1), series(s, lambda t: 51.0, noise=0.05))
    rds_metrics(s, "tickets-mysql", series(s, lambda t: 24 + 34 * max(0, min(1, (req_f(t) - base(t)) / 5900.0)), noise=2.5, hi=100),
                series(s, lambda t: 110 + 18 * (n_in(t) - 4) * 1.0 + (150 if load(t) > 1.5 else 0), noise=6),
                series(s, lambda t: 230 * GB - (t + 21600) * 3000.0, noise=5e7), series(s, lambda t: 38 * GB, noise=1e8),
                series(s, lambda t: 0.0009 + (0.0006 if t > SURGE else 0), noise=0.0002, lo=0.0003), series(s, lambda t: 0.0015, noise=0.0003, lo=0.0003),
                series(s, lambda t: 800 * req_f(t) / base(t), noise=60), series(s, lambda t: 300 * (1 + (req_f(t) / base(t) - 1) * 0.5), noise=30))

    cl = clients(s, "10.14", 200)
    paths = ["/events/wt26-%s" % c for c in ("melbourne", "sydney", "auckland", "brisbane")]
    for i in fleet + extra:
        st, a0 = i["id"], max(i["alive"][0] + 200, LOG_FROM)
        for t in times(s, a0, -5, lambda t: 3.0 * req_f(t) / base(t) * 4 / n_in(t)):
            surge = t >= SURGE and s.rng.random() < 0.8
            if surge:
                p = s.rng.choice(paths + ["/api/queue/status", "/api/queue/status", "/checkout/seats"])
                ref = "https://mail.example-news.com/" if s.rng.random() < 0.3 else "https://tickets.example.com%s?utm_source=newsletter&utm_campaign=onsale-wt26" % s.rng.choice(paths)
                c = s.ip("%d.%d" % (s.rng.randint(23, 203), s.rng.randint(0, 255)))
            else:
                p = s.rng.choice(["/", "/events", "/events/%d" % s.rng.randint(1000, 9999), "/account", "/api/venues/%d" % s.rng.randint(1, 300)])
                ref, c = "-", s.rng.choice(cl)
            ua = s.rng.choice(fmt.UA[:4])
            x = s.rng.random()
            if x < err_p(t) * 0.55:
                s.log(G[0], st, t, fmt.nginx_access(s, t, c, "GET", p, 502, 552, 0.001, ua, None, ref))
                s.log(G[1], st, t, fmt.nginx_error(s, t, "error", 3120, s.rng.randint(10 ** 6, 9 * 10 ** 6), "connect() to unix:/run/php-fpm/www.sock failed (11: Resource temporarily unavailable) while connecting to upstream",
                      c, "tickets.example.com", "GET %s HTTP/1.1" % p, "fastcgi://unix:/run/php-fpm/www.sock:", "tickets.example.com"))
            elif x < err_p(t):
                s.log(G[0], st, t + 30, fmt.nginx_access(s, t, c, "GET", p, 504, 562, 30.0, ua, 30.0, ref))
                s.log(G[1], st, t + 30, fmt.nginx_error(s, t + 30, "error", 3120, s.rng.randint(10 ** 6, 9 * 10 ** 6), "upstream timed out (110: Connection timed out) while reading response header from upstream",
                      c, "tickets.example.com", "GET %s HTTP/1.1" % p, "fastcgi://unix:/run/php-fpm/www.sock:", "tickets.example.com"))
            else:
                r = rt_f(t) * s.rng.uniform(0.3, 1.8)
                s.log(G[0], st, t + r, fmt.nginx_access(s, t, c, "GET", p, 200, s.rng.randint(2000, 70000), r, ua, r - 0.001, ref))
        for t in every(s, a0, -5, 15, 1):
            s.log(G[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.14.0.8", "10.14.6.91"]), "GET", "/health", 200, 2, 0.0, "ELB-HealthChecker/2.0"))
        for t in every(s, max(SURGE + 30, a0), -5, 20, 4):
            if load(t) > 1.4:
                s.log(G[2], st, t, fmt.fpm(s, t, "WARNING", "[pool www] server reached max_children setting (24), consider raising it"))
        for t in times(s, a0, -5, 0.6):
            s.log(G[2], st, t, fmt.fpm(s, t, "WARNING", "[pool www] child %d said into stderr: \"NOTICE: PHP message: PHP Warning:  Undefined array key \"promo\" in /var/www/tickets/src/View/EventPage.php on line 77\"" % s.rng.randint(2000, 2600)))
    for t in every(s, LOG_FROM, -5, 120, 8):
        if t > -4000:
            s.log("/tickets/prod/reports", rep["id"], t, "%s INFO reports.export: quarterly settlement export chunk %d/420 written (rows=50000)" % (fmt.iso(s, t), int((t + 4000) / 120) + 1))
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "tickets-web-prod", "github-actions")
    for i in extra:
        s.change(i["alive"][0], "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
    s.alarm("tickets-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Average", 60, 3, 1.0,
            "GreaterThanThreshold", rt, desc="tickets site average target response time", state="ALARM")
    s.alarm("tickets-reports-01-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": rep["id"]}, "Average", 300, 3, 80, "GreaterThanThreshold",
            s.values("CPUUtilization", InstanceId=rep["id"]), state="ALARM")
    s.expect = {"alarm": "tickets-alb-latency-high",
                "root_cause": {"category": "traffic_surge", "resource": ["tickets-alb", alb, "tickets-web-asg"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": alb}},
                              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": alb}}]}
    return s


def h10():
    s = Scn(10, "h50-10-redis-ec2-system-status-check-failed", "eu-west-2",
            "news site returning errors for signed-in readers; news-alb target 5XX alarm fired.",
            dt.datetime(2026, 11, 17, 12, 40, 0), 5010)
    alb, tg = "app/news-alb/2e6c0a4f8d1b3975", "targetgroup/news-web-tg/9a3e5c7b1d0f2468"
    fleet = [inst(s, "news-web-%d" % k, "10.40") for k in range(1, 5)]
    redis = inst(s, "news-redis-01", "10.40")
    G = ["/news/prod/access", "/news/prod/app"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.large", autoscaling_group="news-web-asg",
              platform="Amazon Linux 2023 / Corretto 17 / Spring Boot 2.7 (spring-session-data-redis, Lettuce)", private_ip=i["ip"], log_groups=G)
    s.res("ec2", redis["id"], name=redis["name"], instance_type="r6g.large", platform="Amazon Linux 2023 / Redis 7.0.15 (self-managed)",
          dns="news-redis.internal", private_ip=redis["ip"], log_groups=["/news/prod/redis"])
    s.res("alb", alb, name="news-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "news-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large", max_connections=1000,
          allocated_storage_gb=300)
    DOWN, dep = -1860, -3300
    req_tot = lambda t: 2400.0 * diurnal(s, t, 0.25, 12)
    SESS = 0.46
    t5 = counts(s, lambda t: 0.8 + (req_tot(t) * SESS * 0.93 if t >= DOWN else 0))
    rt = series(s, lambda t: 0.12 if t < DOWN else 0.12 * 0.54 + SESS * 2.05, noise=0.02, rel=True, lo=0.04)
    restart = lambda k, t: dep + 40 + 75 * k <= t < dep + 100 + 75 * k
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, rt, [float(4 - sum(1 for k in range(4) if restart(k, t))) for t in GRID], [0.0] * 360)
    asg_metrics(s, "news-web-asg", [4.0] * 360, [4.0] * 360)
    for k, i in enumerate(fleet):
        ec2_metrics(s, i, series(s, lambda t, k=k: 85.0 if restart(k, t) else 10 + req_tot(t) / 4 / 30.0 - (4 if t >= DOWN else 0), noise=2, hi=100),
                    series(s, lambda t: 55.0, noise=0.6), series(s, lambda t: 30.0, noise=0.03))
    up = lambda t: t < DOWN
    rcpu = series(s, lambda t: 14.0 if up(t) else 0.1, noise=1.5, lo=0.0, hi=100)
    ec2_metrics(s, redis, rcpu, series(s, lambda t: 71.0 if up(t) else None, noise=0.3), series(s, lambda t: 22.0 if up(t) else None, noise=0.02),
                net_per_cpu=2.4e6,
                status_sys=[0.0 if up(t) else 1.0 for t in GRID], status_inst=[0.0 if t < DOWN + 60 else 1.0 for t in GRID])
    rds_default(s, "news-mysql", cpu=21.0, conns=140.0, free_gb=160.0, mem_gb=8.1)

    cl = clients(s, "10.40", 60)
    rip = redis["ip"]
    for k, i in enumerate(fleet):
        st = i["id"]
        pids = (s.rng.randint(1500, 9000), s.rng.randint(20000, 40000))
        pid = lambda t, k=k: pids[1] if t >= dep + 100 + 75 * k else pids[0]
        for t in times(s, LOG_FROM, -5, lambda t, k=k: 0 if restart(k, t) else 4.5):
            signed = s.rng.random() < SESS
            p = s.rng.choice(["/", "/politics/%d" % s.rng.randint(10 ** 5, 10 ** 6), "/sport/%d" % s.rng.randint(10 ** 5, 10 ** 6),
                              "/api/comments/%d" % s.rng.randint(10 ** 5, 10 ** 6), "/account/saved", "/live/%d" % s.rng.randint(100, 999)])
            th = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            if signed and t >= DOWN and s.rng.random() < 0.93:
                s.log(G[0], st, t + 2.0, fmt.tomcat_access(s, t, s.rng.choice(cl), "GET", p, 500, 290, s.rng.randint(2000, 2060)))
                if s.rng.random() < 0.5:
                    err = "org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis; nested exception is io.lettuce.core.RedisConnectionException: Unable to connect to news-redis.internal/<unresolved>:6379"
                    s.log(G[1], st, t + 2.0, fmt.spring(s, t + 2, "ERROR", pid(t), th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                          "Servlet.service() for servlet [dispatcherServlet] threw exception\n\n" + fmt.jstack(err,
                          ["org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory$SharedConnection.getNativeConnection(LettuceConnectionFactory.java:1689)",
                           "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.getConnection(LettuceConnectionFactory.java:1104)",
                           "org.springframework.session.data.redis.RedisIndexedSessionRepository.findById(RedisIndexedSessionRepository.java:470)",
                           "org.springframework.session.web.http.SessionRepositoryFilter$SessionRepositoryRequestWrapper.getRequestedSession(SessionRepositoryFilter.java:356)"] + SPRING_FRAMES[5:],
                          ("io.lettuce.core.RedisConnectionException: Unable to connect to news-redis.internal/<unresolved>:6379",
                           ["io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)",
                            "io.lettuce.core.AbstractRedisClient.getConnection(AbstractRedisClient.java:350)"]))))
                else:
                    s.log(G[1], st, t + 2.0, fmt.spring(s, t + 2, "ERROR", pid(t), th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                          "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed; nested exception is org.springframework.dao.QueryTimeoutException: Redis command timed out; nested exception is io.lettuce.core.RedisCommandTimeoutException: Command timed out after 2 second(s)] with root cause\n\n"
                          + fmt.jstack("io.lettuce.core.RedisCommandTimeoutException: Command timed out after 2 second(s)",
                                       ["io.lettuce.core.internal.ExceptionFactory.createTimeoutException(ExceptionFactory.java:59)",
                                        "io.lettuce.core.internal.Futures.awaitOrCancel(Futures.java:246)",
                                        "org.springframework.data.redis.connection.lettuce.LettuceConnection.await(LettuceConnection.java:1060)",
                                        "org.springframework.session.data.redis.RedisIndexedSessionRepository.getSession(RedisIndexedSessionRepository.java:480)"] + SPRING_FRAMES[5:])))
            else:
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "GET", p, 200, s.rng.randint(3000, 90000), s.rng.randint(15, 180)))
        for t in every(s, LOG_FROM, -5, 15, 1):
            if not restart(k, t):
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.40.0.19", "10.40.8.2"]), "GET", "/actuator/health/liveness", 200, 15, 2))
        for t in every(s, DOWN + 4, -5, 8, 2):
            if s.rng.random() < 0.5:
                s.log(G[1], st, t, fmt.spring(s, t, "INFO", pid(t), "xecutorLoop-1-%d" % s.rng.randint(1, 4), "i.l.core.protocol.ConnectionWatchdog",
                      "Reconnecting, last destination was news-redis.internal/%s:6379" % rip))
            else:
                s.log(G[1], st, t, fmt.spring(s, t, "WARN", pid(t), "ioEventLoop-6-%d" % s.rng.randint(1, 4), "i.l.core.protocol.ConnectionWatchdog",
                      "Cannot reconnect to [news-redis.internal/<unresolved>:6379]: connection timed out: news-redis.internal/%s:6379" % rip))
        for t in times(s, LOG_FROM, -5, 0.8):
            s.log(G[1], st, t, fmt.spring(s, t, "WARN", pid(t), "scheduling-1", "c.e.news.feeds.RssImporter",
                  "Feed https://feeds.%s.example/rss returned HTTP 503, skipping this cycle" % s.rng.choice(["wire-a", "wire-b", "pressassoc"])))
        t = dep + 40 + 75 * k
        for off, msg in [(0, "LifecycleEvent - ApplicationStop"), (6, "LifecycleEvent - Install"), (7, "[stdout]installed news-web-5.41.0.jar"),
                         (9, "LifecycleEvent - ApplicationStart"), (58, "LifecycleEvent - ValidateService"), (60, "LifecycleEvent - AllowTraffic")]:
            s.log("/news/prod/codedeploy", st, t + off, fmt.codedeploy(s, t + off, "d-M3VJ8Q2TC", msg))
        s.log(G[1], st, t + 40, fmt.spring(s, t + 40, "INFO", pids[1], "main", "c.e.news.NewsApplication", "Started NewsApplication in 27.3 seconds (process running for 29.0)"))
    rst = redis["id"]
    for t in every(s, LOG_FROM, DOWN - 10, 300, 2):
        s.log("/news/prod/redis", rst, t, "2281:M %s * %d changes in 300 seconds. Saving..." % (s.at(t).strftime("%d %b %Y %H:%M:%S.000"), s.rng.randint(900, 4000)))
        s.log("/news/prod/redis", rst, t + 0.2, "2281:M %s * Background saving started by pid %d" % (s.at(t).strftime("%d %b %Y %H:%M:%S.200"), s.rng.randint(30000, 60000)))
        s.log("/news/prod/redis", rst, t + 2.6, "%d:C %s * DB saved on disk" % (s.rng.randint(30000, 60000), s.at(t).strftime("%d %b %Y %H:%M:%S.600")))
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "news-web-prod", "github-actions")
    s.alarm("news-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 40,
            "GreaterThanThreshold", t5, desc="news web 5xx", state="ALARM")
    s.alarm("news-redis-01-status-check", "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": rst}, "Maximum", 60, 2, 0,
            "GreaterThanThreshold", s.values("StatusCheckFailed_System", InstanceId=rst), state="ALARM")
    s.expect = {"alarm": "news-alb-target-5xx",
                "root_cause": {"category": "dependency_failure", "resource": [rst, "news-redis-01"]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": rst}},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
