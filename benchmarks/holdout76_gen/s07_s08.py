"""h76-07 the editorial Drupal host fills its root volume during an archive backfill;
h76-08 one trending-ranker instance pins its CPU with a full recompute (Java on EC2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import nginx, spring

from .kit import alb, alb_id, ec2, ecs, every, instance_id, make, php_log, scatter


def build07():
    sc = make(7, "cms-media-root-volume", "Editors cannot save stories or upload images; 5XX alarm "
              "on the editorial CMS load balancer.", "eu-west-2", "2026-09-30T13:55:00")
    B, T = -5400, -1500
    lb, ads = alb_id(sc, "cms-editorial"), alb_id(sc, "ads-gw")
    iid, cron = instance_id(sc), instance_id(sc)
    full = lambda t: ramp(t, T - 60, T + 60)
    disk = lambda t: min(100.0, 80.6 + 0.3 * (t + 21600) / 3600 + 17.5 * ramp(t, B, T + 30))
    req = lambda t: 160 * diurnal(sc, t, 11.0, 0.3)
    alb(sc, lb, "cms-editorial", req, lambda t: 0.34 + 0.2 * full(t),
        t5xx=lambda t: 0.2 + req(t) * 0.24 * full(t), hosts=1)
    alb(sc, ads, "ads-gw", lambda t: 5200 * diurnal(sc, t, 13.0, 0.3), lambda t: 0.041,
        t5xx=lambda t: 0.8, hosts=4)
    ec2(sc, iid, "cms-media-01", "m6i.2xlarge", lambda t: 22 + 19 * ramp(t, B, B + 120)
        * (1 - ramp(t, T, T + 120)), mem=lambda t: 61 + 6 * ramp(t, B, B + 300), disk=disk,
        net=lambda t: 6e6, log_groups=["/cms/nginx/access", "/cms/php/error", "/cms/drush"])
    ec2(sc, cron, "cms-jobs-01", "m6i.large", lambda t: 7 + 78 * bump(t, -3300, -2200, 1, 120),
        mem=lambda t: 39.0, disk=lambda t: 58.0 + 4 * ramp(t, -3300, -2200))
    edit_paths = ["/node/{n}/edit", "/node/add/article", "/admin/content", "/media/add/image",
                  "/sites/default/files/styles/large/public/2026-09/{f}.jpg?itok=Qz1a"]

    def access(t):
        p = sc.rng.choice(edit_paths).format(n=sc.rng.randint(400000, 490000), f=sc.hexid(10))
        m = "POST" if ("add" in p or "edit" in p) and sc.rng.random() < 0.5 else "GET"
        bad = (m == "POST" or "styles" in p) and sc.rng.random() < 0.9 * full(t)
        sc.log("/cms/nginx/access", iid, t, nginx(
            sc, t, sc.ip("10.20"), m, p, 500 if bad else sc.rng.choice(
                [200] * 9 + ([302, 303] if m == "POST" else [302, 304])),
            530 if bad else sc.rng.randint(3000, 90000), sc.rng.lognormvariate(-1.2, 0.5),
            ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15"))
    scatter(sc, lambda m: 3.0 * diurnal(sc, m, 11.0, 0.3), access)
    scatter(sc, lambda m: 0.7, lambda t: sc.log("/cms/php/error", iid, t, php_log(
        sc, t, "Deprecated", "Drupal\\Core\\Entity\\EntityBase::__construct(): Implicitly marking "
        "parameter $values as nullable is deprecated in /var/www/cms/web/modules/contrib/"
        "metatag/src/Entity/MetatagDefaults.php on line 64")))
    scatter(sc, lambda m: 0.3, lambda t: sc.log("/cms/php/error", iid, t, php_log(
        sc, t, "Warning", 'Undefined array key "alt" in /var/www/cms/web/themes/custom/'
        "newsdesk/newsdesk.theme on line 212")))
    scatter(sc, lambda m: 4.0 * full(m), lambda t: sc.log("/cms/php/error", iid, t, php_log(
        sc, t, "Warning", sc.rng.choice([
            f"file_put_contents(public://styles/large/public/2026-09/{sc.hexid(10)}.jpg): Failed "
            "to open stream: No space left on device in /var/www/cms/web/core/lib/Drupal/Core/"
            "File/FileSystem.php on line 518",
            "session_write_close(): write failed: No space left on device (28) in /var/www/cms/"
            "vendor/symfony/http-foundation/Session/Storage/NativeSessionStorage.php on line 245",
            "fopen(/tmp/drupal_upload_" + sc.hexid(8) + "): Failed to open stream: No space left "
            "on device in /var/www/cms/web/core/modules/file/file.module on line 931"]))))
    batches = iter(range(100000))

    def drush(t):
        if B <= t < T:
            b = next(batches)
            sc.log("/cms/drush", iid, t, f" [notice] Imported 500 items (batch {b}) from "
                   f"archive:print-1987-2004 - {b * 500 + 500} processed, "
                   f"{sc.rng.randint(1200, 1900)} image files copied")
        elif t >= T:
            sc.log("/cms/drush", iid, t, sc.rng.choice([
                f" [error]  file_put_contents(public://archive/print/{sc.rng.randint(1987, 2004)}/"
                f"{sc.rng.randint(1, 12):02d}{sc.rng.randint(1, 28):02d}/p{sc.rng.randint(1, 48):02d}-"
                f"{sc.hexid(4)}.jpg): Failed to open stream: No space left on device",
                " [error]  Migration archive:print-1987-2004 item failed: Could not write "
                "temporary file: No space left on device"]))
    scatter(sc, lambda m: 2.0 if B <= m < T else (0.6 if m >= T else 0.0), drush)
    sc.log("/cms/drush", iid, B - 4, " [notice] Starting migration archive:print-1987-2004 "
           "(412880 items) as user archive-ops")
    sc.alarm("cms-editorial-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Editorial CMS returning 5xx")
    sc.alarm("cms-jobs-01-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": cron}, "Average", 300,
             2, 80, "GreaterThanThreshold")
    sc.change(-11500, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume",
              "vol-0" + sc.hexid(16), "dlm-backup")
    sc.change(-1620, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", ads, "platform-ops")
    sc.expect = {"alarm": "cms-editorial-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [iid, "cms-media-01"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": iid, "path": "/",
                                               "device": "nvme0n1p1", "fstype": "xfs"}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "ads-gw ALB attribute change 2 min before onset; "
               "cms-jobs-01 backup CPU spike (and its alarm) shortly before; long-running Drupal "
               "deprecations", "services": "ALB, EC2", "runtime": "PHP (Drupal)",
               "logs": "nginx access, PHP error_log, drush"}
    return sc


def build08():
    sc = make(8, "trend-rank-recompute", "Homepage 'Trending' module slow; latency alarm on the "
              "internal ranking load balancer.", "ca-central-1", "2026-04-07T10:20:00")
    T = -2200
    lb = alb_id(sc, "trend-int")
    r1, r2 = instance_id(sc), instance_id(sc)
    hot = lambda t: ramp(t, T - 30, T + 150)
    req = lambda t: 2400 * diurnal(sc, t, 13.0, 0.3)
    alb(sc, lb, "trend-int", req, lambda t: 0.075 + 1.5 * hot(t),
        t5xx=lambda t: 0.3 + 9 * hot(t), hosts=2, internal=True)
    ec2(sc, r1, "rank-01", "c6i.xlarge", lambda t: 33 * diurnal(sc, t, 13.0, 0.3),
        mem=lambda t: 71.0, net=lambda t: 9e6, log_groups=["/trend/app"])
    ec2(sc, r2, "rank-02", "c6i.xlarge", lambda t: 34 * diurnal(sc, t, 13.0, 0.3)
        + 70 * hot(t), mem=lambda t: 72 + 4 * hot(t), net=lambda t: 9e6,
        log_groups=["/trend/app"])
    ecs(sc, "newsroom", "headline-api", lambda t: 29.0, lambda t: 52.0, 3)
    app = "trend-ranker"
    for iid, is_hot in ((r1, False), (r2, True)):
        def req_line(t, iid=iid, is_hot=is_hot):
            slow = is_hot and hot(t) > 0.5
            ms = sc.rng.uniform(1800, 5200) if slow else sc.rng.lognormvariate(3.6, 0.4)
            sc.log("/trend/app", iid, t, spring(
                sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                "c.n.trend.web.TrendingController", f"GET /v2/trending?section="
                f"{sc.rng.choice(['home', 'politics', 'business', 'sport', 'local'])} 200 "
                f"{ms:.0f}ms", app))
        scatter(sc, lambda m: 3.0, req_line)
        scatter(sc, lambda m: 0.5, lambda t, iid=iid: sc.log("/trend/app", iid, t, spring(
            sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
            "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "Resolved [org.springframework.web."
            "bind.MissingServletRequestParameterException: Required request parameter 'section' "
            "for method parameter type String is not present]", app)))
        every(sc, 300, lambda t, iid=iid, is_hot=is_hot: sc.log("/trend/app", iid, t, spring(
            sc, t, "INFO", "scheduling-1", "c.n.trend.job.IncrementalScorer",
            f"Incremental trending update: {sc.rng.randint(800, 2400)} articles rescored in "
            f"{sc.rng.uniform(0.8, 2.4) * (30 if is_hot and hot(t) > 0.5 else 1):.1f}s", app)))
    sc.log("/trend/app", r2, T - 25, spring(
        sc, T - 25, "INFO", "scheduling-1", "c.n.trend.job.FullRecomputeJob",
        "Starting full trending recompute for 412118 articles (window=30d, parallelism=8, "
        "trigger=cron 0 0 6 * * *)", app))
    done = [0.0]

    def progress(t):
        done[0] = min(99.0, done[0] + sc.rng.uniform(0.9, 1.4))
        sc.log("/trend/app", r2, t, spring(sc, t, "INFO", f"ForkJoinPool-1-worker-{sc.rng.randint(1, 8)}",
                                           "c.n.trend.job.FullRecomputeJob",
                                           f"Recompute progress {done[0]:.1f}% "
                                           f"({int(4121.18 * done[0])} articles)", app))
    every(sc, 60, progress, start=T + 30)
    scatter(sc, lambda m: 0.5 * hot(m), lambda t: sc.log("/trend/app", r2, t, spring(
        sc, t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
        f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta="
        f"{sc.rng.randint(40, 75)}s{sc.rng.randint(1, 999)}ms).", app)), start=T)
    sc.alarm("trend-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.8, "GreaterThanThreshold", "Trending API latency")
    sc.alarm("rank-02-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": r2}, "Average", 300, 3, 90,
             "GreaterThanThreshold")
    sc.change(-2330, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "newsroom/headline-api", "jenkins-newsroom")
    sc.change(-12800, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", r1,
              "l.tremblay")
    sc.expect = {"alarm": "trend-int-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [r2, "rank-02"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": r2}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "headline-api deploy 2 min before onset; "
               "instance attribute change on the healthy twin; MissingServletRequestParameter "
               "warnings all along", "services": "ALB, EC2, ECS", "runtime": "Java (Spring Boot)",
               "logs": "Spring Boot text"}
    return sc


BUILDERS = [build07, build08]
