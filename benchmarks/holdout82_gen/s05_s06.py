"""h82-05 (PHP checkout web tier, one target starved) and h82-06 (order export workers)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import jline, nginx

from .kit import (S82, alb_metrics, bump, diurnal, ec2_metrics, ecs_metrics, php_fpm, ramp,
                  rds_metrics, sidekiq)


# ============================================================================ h82-05
def build_05() -> S82:
    sc = S82(5, "checkout-web-pool", "Checkout pages intermittently taking seconds; the checkout "
             "load balancer response-time alarm is in ALARM.", "eu-central-1", "2026-11-27T19:50:00")
    lb, a, b, on = "app/kasse-web/91d0e2c4a6b83f75", "i-0d4e7a91c2b35f608", "i-07f2c8b1e64a93d20", -2280
    sc.resource("alb", lb, name="kasse-web", scheme="internet-facing")
    sc.resource("ec2", a, name="web-fra-1a", instance_type="c6i.xlarge", vcpus=4,
                log_groups=["/shop/nginx/access", "/shop/php-fpm", "/shop/syslog"])
    sc.resource("ec2", b, name="web-fra-1b", instance_type="c6i.xlarge", vcpus=4,
                log_groups=["/shop/nginx/access", "/shop/php-fpm", "/shop/syslog"])
    sc.resource("rds", "shopdb-eu", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300)
    sc.resource("lambda", "invoice-mailer", runtime="python3.11", timeout=60, memory_size=512)

    promo = lambda t: 1.0 + 0.3 * ramp(t, -3900, -3600)
    hot = lambda t: ramp(t, on, on + 240)
    req = sc.vals(lambda t: 520 * diurnal(sc, t, 19, 0.2) * promo(t), integer=True)
    trt = sc.vals(lambda t: 0.13 * promo(t) ** 0.5 + 1.45 * hot(t), noise=0.09)
    t5 = sc.vals(lambda t: 0.2 + 11 * hot(t), integer=True)
    lbd = alb_metrics(sc, lb, req, t5, sc.vals(lambda t: 0.05, integer=True), trt, [2.0] * 360,
                      [0.0] * 360, t4=sc.vals(lambda t: 7, integer=True))
    ca = ec2_metrics(sc, a, sc.vals(lambda t: min(99.6, 34 * promo(t) * diurnal(sc, t, 19, 0.1) + 66 * hot(t)),
                                    noise=0.03, cap=100.0),
                     sc.vals(lambda t: 4.1e7 * promo(t), noise=0.1, digits=0),
                     mem=sc.vals(lambda t: 52 + 9 * hot(t), noise=0.01),
                     disk=sc.vals(lambda t: 41.2 + 0.0001 * (t + 21600), noise=0.001))
    ec2_metrics(sc, b, sc.vals(lambda t: 33 * promo(t) * diurnal(sc, t, 19, 0.1) + 5 * hot(t), noise=0.04),
                sc.vals(lambda t: 4.0e7 * promo(t) * (1 + 0.15 * hot(t)), noise=0.1, digits=0),
                mem=sc.vals(lambda t: 50 + 9 * bump(t, -2400, -2300, 1, 60), noise=0.01),
                disk=sc.vals(lambda t: 39.8 + 0.0001 * (t + 21600), noise=0.001))
    rds_metrics(sc, "shopdb-eu", sc.vals(lambda t: 18 * promo(t) + 45 * bump(t, -9300, -8700, 1, 120), noise=0.05),
                sc.vals(lambda t: 140 * promo(t), integer=True), sc.vals(lambda t: 188.0, noise=0.0005),
                sc.vals(lambda t: 0.0007, noise=0.1, digits=5), sc.vals(lambda t: 0.0012, noise=0.1, digits=5),
                sc.vals(lambda t: 5400, noise=0.01))

    # ---- nginx access logs (both targets), php-fpm error log, syslog
    paths = ["/checkout/address", "/checkout/shipping", "/checkout/payment", "/api/cart/summary",
             "/checkout/confirm"]
    for iid, slow in ((a, True), (b, False)):
        def access(t, iid=iid, slow=slow):
            s = slow and t >= on + 60 and sc.rng.random() < hot(t)
            rt = sc.rng.uniform(1.5, 9.0) if s else max(0.02, sc.rng.gauss(0.12, 0.04) * promo(t) ** 0.5)
            st = 504 if s and sc.rng.random() < 0.12 else 200
            if st == 504:
                rt = 60.0 + sc.rng.uniform(0, 0.01)
            return nginx(sc, t, sc.ip("172.31"), sc.rng.choice(["GET", "POST"]), sc.rng.choice(paths),
                         st, 167 if st == 504 else sc.rng.randint(2000, 24000), rt,
                         ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36")
        sc.emit("/shop/nginx/access", iid, lambda t: 4.0, access)
        sc.emit("/shop/php-fpm", iid, lambda t: 0.9, lambda t: php_fpm(
            sc, t, "WARNING", f"[pool www] child {sc.rng.randint(1000, 30000)} said into stderr: \"PHP "
            f"Warning:  Undefined array key \"utm_campaign\" in /var/www/kasse/app/Http/Middleware/"
            f"TrackCampaign.php on line 31\""))
    sc.emit("/shop/php-fpm", a, lambda t: 1.6 * hot(t), lambda t: php_fpm(
        sc, t, "WARNING", sc.rng.choice([
            "[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), "
            f"spawning 8 children, there are 0 idle, and {sc.rng.randint(38, 48)} total children",
            f"[pool www] child {sc.rng.randint(1000, 30000)}, script '/var/www/kasse/public/index.php' "
            f"(request: \"POST /index.php\") executing too slow ({sc.rng.uniform(5, 9):.6f} sec), logging"])))
    sc.emit("/shop/syslog", a, lambda t: 0.07, lambda t: sc.at(t).strftime("%b %d %H:%M:%S ") +
            "web-fra-1a systemd[1]: Started session-%d.scope - Session of User ec2-user." % sc.rng.randint(100, 999))
    sc.emit("/shop/syslog", b, lambda t: 0.07, lambda t: sc.at(t).strftime("%b %d %H:%M:%S ") +
            "web-fra-1b chronyd[612]: Selected source 169.254.169.123")
    ts = on - 25
    sc.log("/shop/syslog", a, ts, sc.at(ts).strftime("%b %d %H:%M:%S ") + "web-fra-1a CRON[48211]: "
           "(www-data) CMD (cd /var/www/kasse && php artisan invoices:render --all-pending --parallel=8)")
    sc.emit("/shop/syslog", a, lambda t: 0.5 * hot(t), lambda t: sc.at(t).strftime("%b %d %H:%M:%S ") +
            f"web-fra-1a php[{sc.rng.choice([48213, 48214, 48215, 48216])}]: invoices:render progress "
            f"{sc.rng.randint(300, 9000)}/11842 (dompdf)")
    tb = -2350
    sc.log("/shop/syslog", b, tb + 40, sc.at(tb + 40).strftime("%b %d %H:%M:%S ") +
           "web-fra-1b amazon-ssm-agent[1201]: [ssm-document-worker] Document AWS-RunPatchBaseline "
           "(Operation=Scan) completed, 0 missing")

    sc.change(-2350, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", b, "patch-manager")
    sc.change(-2250, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "invoice-mailer", "gitlab-runner-fin")
    sc.alarm("kasse-web-response-time", "AWS/ApplicationELB", "TargetResponseTime", lbd, "Average", 60, 3,
             0.8, "GreaterThanThreshold", "checkout response time")
    sc.alarm("web-fra-1a-cpu", "AWS/EC2", "CPUUtilization", ca, "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.alarm("shopdb-eu-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "shopdb-eu"}, "Average",
             300, 2, 60, "GreaterThanThreshold")
    sc.expect_rc("kasse-web-response-time", "cpu_saturation", [a, "web-fra-1a"],
                 [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": ca}])
    sc.meta = dict(
        front="front (ALB); origin = one EC2 target",
        decoys="patch SendCommand on the healthy target; invoice-mailer deploy 30 s after onset; chronic "
               "PHP 'Undefined array key' warnings; sale-banner traffic step an hour earlier; RDS backup CPU bump",
        services="ALB, EC2 (PHP-FPM + nginx access logs, syslog), RDS MySQL, Lambda (Python 3.11)",
        story="A cron job on web-fra-1a starts `php artisan invoices:render --all-pending --parallel=8` "
              "at -38 min; the instance's CPU goes from ~35 % to 99 % and stays there, php-fpm on that "
              "box reports 'seems busy' / 'executing too slow', and its nginx log shows multi-second "
              "requests and some 504s. web-fra-1b stays near 50 % and fast. Request volume is flat (the "
              "promo step was an hour earlier), so kasse-web's average response time climbs only "
              "because half its targets are starved. The patch scan ran on the healthy instance; the "
              "invoice-mailer deploy is unrelated and error-free.",
        judgement="The instance is saturated by a batch job rather than by shopper traffic; the fault "
                  "originates on that instance, so the saturated target (id or Name tag) is the answer.")
    return sc


# ============================================================================ h82-06
def build_06() -> S82:
    sc = S82(6, "order-export-workers", "Warehouse not receiving new orders; order-export memory alarm "
             "is in ALARM and tasks keep restarting.", "us-east-2", "2026-11-27T16:05:00")
    on = -2340
    sc.resource("ecs", "fulfil/order-export", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                runtime="ruby 3.3 / sidekiq 7", log_group="/ecs/order-export")
    sc.resource("ecs", "fulfil/label-render", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                log_group="/ecs/label-render")
    sc.resource("rds", "orders-main", engine="postgres", engine_version="16.4", instance_class="db.r6g.2xlarge",
                max_connections=2000, allocated_storage_gb=1000)

    orders = lambda t: 1.0 + 2.2 * ramp(t, -4500, -4200)

    def saw(t):  # busiest task's memory: ~38 %, then grow / thrash / OOM-kill cycles of 5 minutes
        if t < on:
            return 36 + 3 * (orders(t) - 1) / 2.2
        return min(100.0, 45 + 55 * ((t - on) % 300) / 160)

    mem = sc.vals(saw, noise=0.015, cap=100.0)
    kills = [t + 30 for t in GRID if t >= on and (t - on) % 300 == 240]
    running = [3.0 if any(0 <= t - k < 120 for k in kills) else 4.0 for t in GRID]
    cpu = sc.vals(lambda t: 22 * orders(t) ** 0.6 + 25 * ramp(t, on, on + 60), noise=0.06)
    sd = ecs_metrics(sc, "fulfil", "order-export", cpu, mem, running=running)
    ecs_metrics(sc, "fulfil", "label-render", sc.vals(lambda t: 15 * orders(t) ** 0.5, noise=0.06),
                sc.vals(lambda t: 44 + 8 * bump(t, -1920, -1800, 1, 60), noise=0.01), running=[2.0] * 360)
    rds_metrics(sc, "orders-main", sc.vals(lambda t: 19 * orders(t) ** 0.5, noise=0.05),
                sc.vals(lambda t: 210 * orders(t) ** 0.3, integer=True), sc.vals(lambda t: 611.0, noise=0.0003),
                sc.vals(lambda t: 0.0008, noise=0.1, digits=5), sc.vals(lambda t: 0.0013, noise=0.1, digits=5),
                sc.vals(lambda t: 41000, noise=0.005))
    lat = sc.vals(lambda t: 2.0 + (0 if t < on else 15 * (t - on) / 60), noise=0.08)
    sc.metric("Fulfil/Sidekiq", "QueueLatency", {"Queue": "exports"}, "Seconds", lat)

    g = "/ecs/order-export"
    epoch = [-21600] + [k + 15 for k in kills]
    streams = {e: f"ecs/worker/{sc.hexid(32)}" for e in epoch}
    steady = f"ecs/worker/{sc.hexid(32)}"
    cyc = lambda t: streams[max(e for e in epoch if e <= t)]
    pick = lambda t: cyc(t) if int(t * 10) % 2 else steady
    tid = lambda: sc.rng.choice(["ovz3", "owbn", "oxg7", "oy2r", "p0a1"])

    def job(t):
        n = int(sc.rng.gauss(40, 8) * orders(t))
        return sidekiq(sc, t, 1, tid(), "INFO", f"done: {sc.rng.uniform(0.3, 1.4) * orders(t):.3f} sec",
                       **{"class": "OrderExportJob", "jid": sc.hexid(24), "orders": n})

    sc.emit(g, pick, lambda t: 3.0 if t < on else 1.0, job)
    sc.emit(g, pick, lambda t: 0.5, lambda t: sidekiq(
        sc, t, 1, tid(), "WARN", "Net::ReadTimeout with #<TCPSocket:(closed)> posting to "
        "https://wms.partner-3pl.example/api/v2/orders, retry 1/5", **{"class": "OrderExportJob", "jid": sc.hexid(24)}))
    sc.emit(g, cyc, lambda t: 1.2 * (t >= on), lambda t: sidekiq(
        sc, t, 1, tid(), "INFO", f"ExportBatchJob loading window orders (count={sc.rng.randint(38000, 61000)}, "
        "includes=[:lines, :payments, :shipments])", **{"class": "ExportBatchJob", "jid": sc.hexid(24)}))
    for k in kills:
        s = streams[k + 15]
        for i, m in enumerate(["Booted Rails 7.2.1 application in production environment",
                               "Running in ruby 3.3.5 (2024-09-03 revision ef084cc8f4) [x86_64-linux]",
                               "Starting processing, hit Ctrl-C to stop"]):
            sc.log(g, s, k + 20 + i * 0.4, sidekiq(sc, k + 20 + i * 0.4, 1, "nmq", "INFO", m))
    eg, es = "/aws/events/ecs/fulfil", "ecs-task-state"
    for k in kills:
        tsk = sc.hexid(32)
        sc.log(eg, es, k + 2.1, jline({
            "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": sc.region,
            "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/fulfil",
                       "group": "service:order-export", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                       "stopCode": "EssentialContainerExited",
                       "stoppedReason": "Essential container in task exited",
                       "containers": [{"name": "sidekiq", "exitCode": 137,
                                       "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                       "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/fulfil/{tsk}"}}))
    for t in GRID:
        if t >= -10800 and t % 1800 == 0:
            sc.log(eg, es, t + 11.3, jline({
                "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": sc.region,
                "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/fulfil",
                           "group": "family:stock-recount", "lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                           "stoppedReason": "Essential container in task exited",
                           "containers": [{"name": "recount", "exitCode": 0}]}}))
    lg = "/ecs/label-render"
    ls0, ls1 = f"ecs/labels/{sc.hexid(32)}", f"ecs/labels/{sc.hexid(32)}"
    sc.emit(lg, lambda t: ls0 if t < -1860 else ls1, lambda t: 1.5, lambda t: jline(
        {"time": sc.iso(t), "level": "info", "msg": "label rendered", "carrier": sc.rng.choice(["ups", "fedex", "usps"]),
         "ms": sc.rng.randint(80, 300)}))

    sc.change(-18400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfil/order-export",
              "deploy-bot")
    sc.change(-1950, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "label-render:112", "deploy-bot")
    sc.change(-1920, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfil/label-render",
              "deploy-bot")
    sc.alarm("order-export-memory", "AWS/ECS", "MemoryUtilization", sd, "Maximum", 300, 1, 90,
             "GreaterThanThreshold", "order-export task memory")
    sc.alarm("exports-queue-latency", "Fulfil/Sidekiq", "QueueLatency", {"Queue": "exports"}, "Maximum", 300, 2,
             300, "GreaterThanThreshold", "orders waiting to be exported")
    sc.expect_rc("order-export-memory", "memory_exhaustion", ["fulfil/order-export", "order-export"],
                 [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": sd}])
    sc.meta = dict(
        front="origin (ECS service); queue latency alarm too",
        decoys="label-render deploy 7 min after onset (closest change to the queue alarm); order-export "
               "deploy 5 h earlier; order volume x3 from the sale; chronic WMS Net::ReadTimeout retries",
        services="ECS (Ruby/Sidekiq logs, ECS task-state events as JSON), RDS, custom queue metric",
        story="Sale orders triple from -75 min and order-export handles them comfortably (memory ~40 %). "
              "At -39 min ExportBatchJob starts loading whole order windows with lines, payments and "
              "shipments; task memory climbs to 100 % within three minutes and ECS stops the task with exit "
              "code 137 'OutOfMemoryError: Container killed due to memory usage', then again every "
              "five minutes as the job is retried, so the exports queue backs up. The label-render "
              "deploy and the WMS read timeouts (present all afternoon, handled by retry) are unrelated; "
              "the last order-export deploy was five hours earlier with no change in behaviour.",
        judgement=None)
    return sc


BUILDERS = [build_05, build_06]
