"""h73-04..06: fare rebuild on one monolith host, leaking BFF, statement exports filling a disk."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import alb, apache, ec2, ecs, every, jline, lam, lines, load, php_err, pino, rds, tomcat
from .runtimes import spring


def _streams(sc, prefix, n):
    return [f"{prefix}/{sc.hexid(32)}" for _ in range(n)]


# --------------------------------------------------------------------------- 04
def s04() -> Scenario:
    sc = Scenario(4, "rail-www-latency", "Ticket booking pages slow; ALB response-time alarm "
                  "in ALARM.", "eu-west-1", 7304, "2026-03-05T02:50:00")
    T, DECOY = -3000, -3240
    a, b = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    lb = f"app/rail-www/{sc.hexid(16)}"
    sc.resource("alb", lb, name="rail-www")
    for iid, nm in ((a, "ticketing-app-a"), (b, "ticketing-app-b")):
        sc.resource("ec2", iid, name=nm, instance_type="c5.xlarge",
                    platform="Spring Boot 2.7 (embedded Tomcat) / Java 11",
                    log_groups=["/ticketing/app", "/ticketing/access"])
    sc.resource("ecs", "rail-apps/journey-planner", launch_type="FARGATE", desired_count=2)
    sc.resource("lambda", "seat-map-render", runtime="python3.11", timeout=30, memory_size=1024)
    sc.resource("rds", "ticketing-pg", engine="postgres", instance_class="db.m6g.large",
                max_connections=900, allocated_storage_gb=300)
    hot = lambda t: ramp(t, T, T + 150)
    req = load(sc, 190, 0.5, 12)
    alb(sc, lb, req, lambda t: 0.22 + 1.75 * hot(t), lambda t: 0.5 + 2.5 * hot(t),
        e5xx=lambda t: 0.2 + 3 * hot(t))
    ec2(sc, a, lambda t: 29 * diurnal(sc, t, 12, 0.5) + 84 * hot(t), mem=lambda t: 72.0,
        disk=lambda t: 44.0)
    ec2(sc, b, lambda t: 29 * diurnal(sc, t, 12, 0.5), mem=lambda t: 70.0, disk=lambda t: 43.0)
    ecs(sc, "rail-apps", "journey-planner", lambda t: 18 + 6 * bump(t, DECOY, DECOY + 300, 1),
        lambda t: 47.0, lambda t: 2 + 2 * bump(t, DECOY + 20, DECOY + 330, 1, 1))
    sm = lambda t: 8 + 26 * bump(t, T - 1100, T - 700, 1, 120)
    lam(sc, "seat-map-render", sm, lambda t: 0.0, lambda t: 900.0)
    rds(sc, "ticketing-pg", lambda t: 19.0, lambda t: 96, lambda t: 181.0)

    app = "ticketing"
    paths = ["/booking/search", "/booking/fares", "/booking/seat", "/account/trips", "/"]
    for iid in (a, b):
        slow = (lambda t: 3300 * hot(t)) if iid == a else (lambda t: 0.0)
        lines(sc, "/ticketing/access", iid, lambda t: 3 * diurnal(sc, t, 12, 0.5),
              lambda t, s=slow: tomcat(sc, t, sc.ip("10.8"), "GET", sc.rng.choice(paths),
                                       200 if sc.rng.random() > 0.004 else 500,
                                       sc.rng.randint(2000, 40000),
                                       max(15, sc.rng.gauss(180, 60) + s(t) * sc.rng.uniform(.6, 1.3))))
        lines(sc, "/ticketing/app", iid, lambda t: 0.8, lambda t: spring(
            sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
            "c.r.t.pricing.LegacyFareCache",
            f"fare cache miss route={sc.rng.choice(['EUS', 'GAL', 'LMK', 'CRK', 'SLG'])}-"
            f"{sc.rng.choice(['DUB', 'HSN', 'BFT'])} falling back to FARE_MASTER", app))
        lines(sc, "/ticketing/app", iid, lambda t: 0.15, lambda t: spring(
            sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
            "o.s.web.servlet.PageNotFound", "No mapping for GET /booking/wp-login.php", app))
        every(sc, "/ticketing/app", iid, 1800, lambda t: spring(
            sc, t, "INFO", "QuartzScheduler_Worker-2", "c.r.t.jobs.SessionCleanupJob",
            f"purged {sc.rng.randint(300, 2400)} expired sessions", app))
    sc.log("/ticketing/app", a, T + 0.2, spring(
        sc, T + 0.2, "INFO", "QuartzScheduler_Worker-1", "org.quartz.core.JobRunShell",
        "Job FARES.FareMatrixRebuildJob fired (cron 0 0 2 * * ?)", app))
    sc.log("/ticketing/app", a, T + 1.1, spring(
        sc, T + 1.1, "INFO", "QuartzScheduler_Worker-1", "c.r.t.jobs.FareMatrixRebuildJob",
        "rebuilding 48,211 origin/destination pairs with 16 worker threads", app))
    lines(sc, "/ticketing/app", a, lambda t: 1.0, lambda t: spring(
        sc, t, "INFO", f"fare-rebuild-{sc.rng.randint(1, 16)}", "c.r.t.jobs.FareMatrixRebuildJob",
        f"rebuilt {sc.rng.randint(1, 48)},{sc.rng.randint(100, 999)} pairs", app), start=T + 60)
    lines(sc, "/ticketing/app", a, lambda t: 0.6 * hot(t), lambda t: spring(
        sc, t, "WARN", "http-nio-8080-Acceptor", "o.a.tomcat.util.threads.ThreadPoolExecutor",
        "Request queue depth 184 exceeds threshold; all 200 worker threads busy", app),
        start=T + 120)
    jp = "/ecs/journey-planner"
    for s in _streams(sc, "ecs/journey-planner", 2):
        lines(sc, jp, s, lambda t: 1.5, lambda t: jline(
            {"timestamp": sc.iso(t), "level": "INFO", "logger": "uvicorn.access",
             "message": f"{sc.ip('10.8')}:0 - \"GET /v2/journeys HTTP/1.1\" 200"}))
    sc.change(-14450, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "rail-apps/journey-planner", "codepipeline-rail")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "rail-apps/journey-planner", "codepipeline-rail")
    sc.alarm("rail-www-response-time", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.0, "GreaterThanThreshold",
             "Booking site latency")
    sc.alarm("seat-map-render-errors", "AWS/Lambda", "Errors", {"FunctionName": "seat-map-render"},
             "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "rail-www-response-time",
                 "root_cause": {"category": "cpu_saturation", "resource": [a, "ticketing-app-a"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="journey-planner rollout 4 min before onset; seat-map-render "
        "invocation burst 15 min before; chronic fare-cache misses and scanner 404s on both hosts",
        story="Two Spring Boot monolith hosts serve the booking site; journey planning already "
        "moved to ECS. At 02:00 the monolith's own Quartz `FareMatrixRebuildJob` fires on "
        "ticketing-app-a only, with 16 threads. Its CPU goes from under 20 % to 90-100 % within "
        "three minutes while app-b stays under 20 %; app-a's access log latency rises from ~0.2 s to "
        "3-4 s and Tomcat reports all worker threads busy, so the ALB's average response time "
        "goes to ~2 s. Request count is flat. The journey-planner rollout 4 min earlier leaves "
        "that service's logs and metrics unchanged.")
    return sc


# --------------------------------------------------------------------------- 05
def s05() -> Scenario:
    sc = Scenario(5, "storefront-edge-502", "Shoppers see intermittent 502 errors on product "
                  "pages; storefront edge ELB 5xx alarm.", "us-east-1", 7305, "2026-03-07T20:30:00")
    T, DECOY = -1980, -2130
    lb = f"app/storefront-edge/{sc.hexid(16)}"
    mono = "i-0" + sc.hexid(16)
    sc.resource("alb", lb, name="storefront-edge")
    sc.resource("ecs", "storefront-apps/catalog-bff", launch_type="FARGATE", desired_count=4,
                cpu=1024, memory=2048, node_options="--max-old-space-size=1792")
    sc.resource("ecs", "storefront-apps/reviews", launch_type="FARGATE", desired_count=2)
    sc.resource("ec2", mono, name="sf-legacy-web-2", instance_type="c5.2xlarge",
                platform="PHP 8.1 / Apache", log_groups=["/storefront/php-error"])
    sc.resource("lambda", "img-resize", runtime="nodejs20.x", timeout=30, memory_size=1536)
    plan = []  # (start, end, warm) per task incarnation; warm = loaded the cache at boot
    for first in (T, T + 250, T + 610, T + 980):
        plan.append((-21600, first, False))
        st = first + 70
        while st < -60:
            end = st + sc.rng.uniform(560, 760)
            plan.append((st, end if end < 0 else 0, True))
            st = end + 70
    deaths = [e for _, e, _ in plan if e < 0]
    dead = lambda t: min(3, sum(bump(t, d, d + 75, 1, 20) for d in deaths))
    mem = lambda t: (min(99.5, 46 + 54 * (t + 21600) / (21600 + T)) if t < T
                     else 89 + 7 * ((t - T) % 300) / 300)
    req = load(sc, 620, 0.3, 19)
    alb(sc, lb, req, lambda t: 0.14 + 0.3 * (mem(t) > 92) + 0.4 * dead(t),
        lambda t: 1.0 + 6 * dead(t), e5xx=lambda t: 0.3 + 38 * dead(t) + 4 * (t > T),
        healthy=lambda t: 7 - dead(t), unhealthy=lambda t: dead(t))
    ecs(sc, "storefront-apps", "catalog-bff", lambda t: 31 + 12 * (mem(t) > 90), mem,
        lambda t: 4 - dead(t))
    ecs(sc, "storefront-apps", "reviews", lambda t: 11.0, lambda t: 36.0,
        lambda t: 2 + 2 * bump(t, DECOY + 20, DECOY + 320, 1, 1))
    ec2(sc, mono, lambda t: 38 * diurnal(sc, t, 19, 0.3), mem=lambda t: 61.0, disk=lambda t: 52.0)
    lam(sc, "img-resize", lambda t: 12 + 60 * bump(t, T - 1500, T - 900, 1, 120), lambda t: 0.2,
        lambda t: 1400.0)

    g = "/ecs/catalog-bff"
    host = lambda: f"ip-10-30-{sc.rng.randint(1, 60)}-{sc.rng.randint(2, 250)}.ec2.internal"
    for s0, e0, warm in plan:
        s = f"ecs/catalog-bff/{sc.hexid(32)}"
        h = host()
        if s0 > -21600:
            sc.log(g, s, s0, pino(sc, s0, "info", "catalog-bff listening", h, port=3000,
                                  version="4.8.2"))
        lines(sc, g, s, lambda t: 2.0 * diurnal(sc, t, 19, 0.3), lambda t, h=h: pino(
            sc, t, "info", "request completed", h, req={"method": "GET", "url": f"/products/"
                                                        f"{sc.rng.randint(10000, 99999)}"},
            res={"statusCode": 200}, responseTime=sc.rng.randint(20, 160)), start=s0, end=e0)
        lines(sc, g, s, lambda t: 0.25, lambda t, h=h: pino(
            sc, t, "warn", "legacy price missing, using list price", h,
            sku=f"SKU-{sc.rng.randint(10**5, 10**6)}"), start=s0, end=e0)
        if warm:
            n0, h0, rate, hr = 1_930_000 + sc.rng.randint(0, 90000), 1540, 95, 0.38
            sc.log(g, s, s0 + 1.5, pino(sc, s0 + 1.5, "info", "session-bridge cache warmed from "
                                        "legacy session store", h, entries=n0, ms=41230))
        else:
            n0, h0, rate, hr = sc.rng.randint(90, 130) * 1000, 310, 95, 0.082
        every(sc, g, s, 300, lambda t, h=h, n0=n0, s0=s0, h0=h0, r=rate, hr=hr: pino(
            sc, t, "info", "session-bridge cache stats", h, entries=int(n0 + (t - s0) * r),
            heapUsedMB=int(min(1790, h0 + (t - s0) * hr))), start=s0, end=e0)
        if e0 < 0:
            ms = int((e0 - s0) * 1000)
            sc.log(g, s, e0 - 2.5, "<--- Last few GCs --->")
            sc.log(g, s, e0 - 2.4, f"[1:0x{sc.hexid(7)}] {ms - 2100} ms: Mark-Compact 1789.4 "
                   "(1826.0) -> 1787.9 (1826.2) MB, 1688.41 / 0.02 ms  (average mu = 0.118, "
                   "current mu = 0.009) allocation failure; scavenge might not succeed")
            sc.log(g, s, e0 - 0.3, "FATAL ERROR: Reached heap limit Allocation failed - "
                   "JavaScript heap out of memory")
            sc.log(g, s, e0 - 0.2, " 1: 0xb7b3e0 node::Abort() [node]")
    pe = "/storefront/php-error"
    lines(sc, pe, mono, lambda t: 1.0, lambda t: php_err(
        sc, t, "PHP Warning:  Undefined array key \"utm_source\" in /var/www/storefront/app/"
        "Tracking/Attribution.php on line 57"))
    lines(sc, pe, mono, lambda t: 0.3, lambda t: php_err(
        sc, t, "PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to "
        "allocate 20480 bytes) in /var/www/storefront/app/Export/Feed.php on line 203"))
    sc.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "storefront-apps/reviews", "gitlab-runner-deploy")
    sc.change(DECOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", "reviews", "gitlab-runner-deploy")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "storefront-apps/reviews", "gitlab-runner-deploy")
    sc.alarm("storefront-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 300, 1, 20, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-edge-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion",
                                "resource": ["storefront-apps/catalog-bff", "catalog-bff"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="reviews rollout 2.5 min before the first crash; img-resize "
        "burst; the monolith's chronic PHP `Allowed memory size exhausted` fatals (a different "
        "process, same rate all day)",
        story="The Node `catalog-bff` on ECS caches translated legacy sessions without eviction. "
        "Its service MemoryUtilization climbs steadily from 46 % for five hours, the "
        "`session-bridge cache stats` lines show entries and heap rising, and from about -33 min "
        "tasks die one after another with `FATAL ERROR: Reached heap limit ... JavaScript heap out "
        "of memory`; each death gives a burst of ELB 502s and an unhealthy host while a "
        "replacement starts. No change touched catalog-bff; the PHP memory-limit fatals on the "
        "monolith are old and steady, and the reviews rollout is unrelated.")
    return sc


# --------------------------------------------------------------------------- 06
def s06() -> Scenario:
    sc = Scenario(6, "member-portal-500s", "Member portal returning 500 errors; ALB target 5xx "
                  "alarm.", "ca-central-1", 7306, "2026-03-09T15:20:00")
    T, DECOY = -2160, -2310
    web = "i-0" + sc.hexid(16)
    lb = f"app/member-portal/{sc.hexid(16)}"
    sc.resource("ec2", web, name="portal-web-01", instance_type="m5.xlarge",
                platform="PHP 7.4 / Apache 2.4 / cron", root_volume_gb=100,
                log_groups=["/portal/apache/access", "/portal/php-error", "/portal/cron"])
    sc.resource("alb", lb, name="member-portal")
    sc.resource("lambda", "statement-pdf", runtime="python3.12", timeout=60, memory_size=1024)
    sc.resource("rds", "portal-db", engine="mysql", instance_class="db.m5.large",
                max_connections=600, allocated_storage_gb=400)
    runs = list(range(-21600 + 420, 0, 900))
    def disk(t):
        n = sum(1 for r in runs if r + 120 <= t)
        return min(100.0, 86.2 + 0.004 * (t + 21600) / 60 + 0.58 * n)
    full = lambda t: 1.0 if disk(t) >= 99.99 else 0.0
    req = load(sc, 150, 0.2, 17)
    alb(sc, lb, req, lambda t: 0.19 + 0.1 * full(t), lambda t: 0.4 + 0.55 * req(t) * full(t))
    ec2(sc, web, lambda t: 27 * diurnal(sc, t, 17) + 25 * any(0 <= t - r < 120 for r in runs),
        mem=lambda t: 58.0, disk=disk, fstype="ext4")
    lam(sc, "statement-pdf", load(sc, 9, 0.2, 17), lambda t: 0.0, lambda t: 4100.0)
    rds(sc, "portal-db", lambda t: 22 + 55 * bump(t, -3900, -3300, 1, 120), lambda t: 64,
        lambda t: 251.0)

    acc, pe, cr = "/portal/apache/access", "/portal/php-error", "/portal/cron"
    paths = ["/member/dashboard.php", "/member/claims.php", "/member/statements.php",
             "/login.php", "/member/profile.php"]
    lines(sc, acc, web, lambda t: 4 * diurnal(sc, t, 17), lambda t: apache(
        sc, t, sc.ip("10.60"), "GET", sc.rng.choice(paths),
        500 if sc.rng.random() < 0.55 * full(t) else 200, sc.rng.randint(3000, 30000),
        sc.rng.gauss(160000, 40000)))
    lines(sc, pe, web, lambda t: 2.0, lambda t: php_err(
        sc, t, "PHP Deprecated:  Function strftime() is deprecated in /var/www/portal/lib/"
        "Format/Dates.php on line 31"))
    lines(sc, pe, web, lambda t: 0.25, lambda t: php_err(
        sc, t, "PHP Warning:  mysqli::real_connect(): (HY000/2002): Connection timed out in "
        "/var/www/portal/lib/Db/Legacy.php on line 48"))

    def err(t):
        if sc.rng.random() < 0.5:
            return php_err(sc, t, f"PHP Warning:  session_start(): open(/var/lib/php/sessions/"
                           f"sess_{sc.hexid(26)}, O_RDWR) failed: No space left on device (28) in "
                           "/var/www/portal/lib/Auth/Session.php on line 22")
        return php_err(sc, t, "PHP Fatal error:  Uncaught RuntimeException: Unable to write "
                       "template cache /var/www/portal/var/cache/tpl_member_dashboard.php in "
                       "/var/www/portal/lib/View/Compiler.php:77")
    lines(sc, pe, web, lambda t: 3.0 * full(t), err, start=T - 120)
    for r in runs:
        sc.log(cr, web, r, f"{sc.at(r).strftime('%b %d %H:%M:%S')} portal-web-01 CRON["
               f"{sc.rng.randint(2000, 30000)}]: (www-data) CMD (php /var/www/portal/cron/"
               "export_statements.php >> /var/www/portal/tmp/export.log 2>&1)")
        if disk(r + 119) < 99.99:
            sc.log(cr, web, r + 118, f"export_statements: wrote {sc.rng.uniform(0.55, 0.75):.2f}G "
                   f"to /var/www/portal/tmp/exports/stmt_{sc.at(r).strftime('%Y%m%d_%H%M')}.csv")
        else:
            sc.log(cr, web, r + 40, "PHP Notice:  fwrite(): Write of 8192 bytes failed with "
                   "errno=28 No space left on device in /var/www/portal/cron/export_statements.php"
                   " on line 88")
    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "statement-pdf", "bitbucket-pipelines")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "statement-pdf", "bitbucket-pipelines")
    sc.change(DECOY + 8, "lambda.amazonaws.com", "UpdateAlias20150331",
              "AWS::Lambda::Function", "statement-pdf", "bitbucket-pipelines")
    sc.alarm("member-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.alarm("portal-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "portal-db"},
             "Average", 300, 1, 70, "GreaterThanThreshold")
    sc.expect = {"alarm": "member-portal-5xx",
                 "root_cause": {"category": "storage_exhaustion",
                                "resource": [web, "portal-web-01"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="statement-pdf deploy 2.5 min before onset; portal-db CPU "
        "spike and alarm 30-60 min earlier; chronic strftime deprecations and DB connect timeouts",
        story="The PHP member portal still runs a 15-minute cron that writes statement CSV "
        "exports to the web host's root volume and never deletes them. disk_used_percent on "
        "portal-web-01 climbs in steps with every run until it reaches 100 % at about -36 min; "
        "from then the PHP error log shows `session_start(): ... No space left on device (28)` and "
        "template-cache write failures, Apache logs 500s and the ALB target 5xx alarm fires. "
        "The statement-pdf deploy and the portal-db CPU spike are nearby but do not explain "
        "errors on the web host.")
    return sc
