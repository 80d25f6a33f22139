"""h58-05 (one x86 web node pinned while its sibling moved to Graviton) and h58-06 (OOM crash loop)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import jline, nginx, spring, zap


# =========================================================================== 05
def s05() -> Scenario:
    sc = Scenario(5, "docs-web-graviton", "Documentation site slow; ALB target response time "
                  "alarm.", "eu-central-1", 5805, "2026-08-11T09:50:00+00:00")
    C = -1980            # CPU on web-a pinned
    M0, M1 = -3900, -3790  # web-b stopped, resized to c7g, started
    lb = "app/docs-web/7f21c0a9e4b35d18"
    a, b = "i-0c4e1a9b7d2f36058", "i-07b3d5f9e1a2c4680"
    lga = ["/docs/nginx/access", "/docs/php-fpm", "/docs/cron"]
    sc.resource("alb", lb, name="docs-web", scheme="internet-facing")
    sc.resource("ec2", a, name="web-a", instance_type="c6i.xlarge", architecture="x86_64", log_groups=lga)
    sc.resource("ec2", b, name="web-b", instance_type="c7g.xlarge", architecture="arm64", log_groups=lga[:2])
    load = lambda t: diurnal(sc, t, 10, 0.35)  # noqa: E731
    cpu_a = sc.series(lambda t: 33 * load(t) + 66 * ramp(t, C, C + 120), noise=0.06, cap=100)
    cpu_b = sc.series(lambda t: None if M0 <= t < M1 else (31 * load(t) if t < M0 else 27 * load(t)), noise=0.07)
    for iid, cpu, gone in ((a, cpu_a, False), (b, cpu_b, True)):
        off = (lambda t: gone and M0 <= t < M1)
        B.ec2_metrics(sc, iid, cpu, sc.series(lambda t: None if off(t) else 5.1e6 * load(t), noise=0.1, digits=0),
                      [None if off(t) else 0.0 for t in GRID],
                      sc.series(lambda t: None if off(t) else (54 if not gone else 41) + 9 * (not gone) * ramp(t, C, C + 300), noise=0.02),
                      sc.series(lambda t: None if off(t) else (61.2 if not gone else 38.5), noise=0.002))
    req = sc.series(lambda t: 760 * load(t), integer=True)
    rt = sc.series(lambda t: 0.11 + 2.4 * ramp(t, C + 30, C + 240) + bump(t, M0, M1 + 60, 0.06, 30), noise=0.1, digits=4)
    B.alb_metrics(sc, lb, req, rt, sc.series(lambda t: 0.3 + 3 * ramp(t, C + 60, C + 240), integer=True),
                  sc.series(lambda t: 0.1 + 4 * ramp(t, C + 120, C + 300), integer=True),
                  [1.0 if M0 - 60 <= t < M1 + 120 else 2.0 for t in GRID],
                  [1.0 if M0 - 60 <= t < M1 + 120 else 0.0 for t in GRID])

    paths = ["/en/latest/guide/install", "/de/latest/api/auth", "/en/latest/search?q=webhook", "/static/css/app.css",
             "/fr/latest/faq", "/en/v3/reference/cli"]

    def access(slow):
        def f(t):
            p = sc.rng.choice(paths)
            rtv = sc.rng.uniform(0.02, 0.16) if not slow(t) else sc.rng.uniform(2.5, 9.0)
            status = 200 if rtv < 8.5 else 504
            return nginx(sc, t, sc.ip("10.31"), "GET", p, status, sc.rng.randint(3000, 48000), rtv,
                         ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15")
        return f
    B.emit(sc, lga[0], a, lambda t: 3, access(lambda t: t >= C + 60))
    B.emit(sc, lga[0], b, lambda t: 0 if M0 <= t < M1 + 60 else 3, access(lambda t: False))
    dep = ('WARNING: [pool www] child {pid} said into stderr: "NOTICE: PHP message: PHP Deprecated:  '
           'Creation of dynamic property Docs\\Nav\\Node::$weight is deprecated in /var/www/docs/app/Nav/Node.php on line 41"')
    for iid in (a, b):
        B.emit(sc, lga[1], iid, lambda t: 0 if (iid == b and M0 <= t < M1) else 0.6, lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] " + dep.format(pid=sc.rng.randint(2000, 9000))))
    B.emit(sc, lga[1], a, lambda t: 0.7 if t >= C + 90 else 0, lambda t: (
        f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached pm.max_children setting "
        "(24), consider raising it"), t0=C)
    B.emit(sc, lga[1], a, lambda t: 0.5 if t >= C + 120 else 0, lambda t: (
        f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child {sc.rng.randint(2000, 9000)}, script "
        "'/var/www/docs/public/index.php' (request: \"GET /index.php\") executing too slow "
        f"({sc.rng.uniform(5, 9):.6f} sec), logging"), t0=C)
    sc.log(lga[1], b, M1 + 20, f"[{sc.at(M1 + 20).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: fpm is running, pid 812")
    sc.log(lga[1], b, M1 + 20.1, f"[{sc.at(M1 + 20).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: ready to handle connections")
    sc.log(lga[2], a, C - 3, f"{sc.at(C - 3).strftime('%b %d %H:%M:%S')} web-a CRON[31877]: (www-data) CMD (cd /var/www/docs "
           "&& php artisan sitemap:generate --all-locales >> storage/logs/sitemap.log 2>&1)")
    B.every(sc, lga[2], a, 60, lambda t: (f"{sc.at(t).strftime('%b %d %H:%M:%S')} web-a sitemap[31879]: locale="
                                          f"{sc.rng.choice(['en', 'de', 'fr', 'ja', 'pt-br'])} urls={sc.rng.randint(2000, 9000)} "
                                          f"rss_mb={sc.rng.randint(380, 520)} elapsed={int(t - C)}s"), t0=C + 30)
    B.every(sc, lga[2], a, 3600, lambda t: f"{sc.at(t).strftime('%b %d %H:%M:%S')} web-a CRON[{sc.rng.randint(20000, 31000)}]: "
            "(root) CMD (/usr/local/bin/logrotate-docs.sh)")

    u = "ops-jmueller"
    sc.change(M0, "ec2.amazonaws.com", "StopInstances", "AWS::EC2::Instance", b, u)
    sc.change(M0 + 70, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", b, u)
    sc.change(M1 - 20, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", b, u)
    sc.change(-2100, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "targetgroup/docs-web-tg/2c81f0e6a93d4b57", u)
    sc.alarm("docs-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 1.5,
             "GreaterThanThreshold", "Docs site p-avg latency")
    sc.alarm("web-b-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": b}, "Maximum", 60, 2, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "docs-web-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a, "web-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": a}}]}
    return sc


# =========================================================================== 06
def s06() -> Scenario:
    sc = Scenario(6, "event-router-oom-loop", "Event ingestion endpoint returning 502/503; ALB 5XX "
                  "alarm.", "us-west-2", 5806, "2026-09-03T22:15:00+00:00")
    O = -1860            # first container OOM kill
    D = O - 240          # schema-registry stalls briefly (full GC); its Java 21 rollout was yesterday
    cl, lb = "ingest", "app/ingest-edge/5b8e2d4f6a1c0937"
    sc.resource("alb", lb, name="ingest-edge", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/event-router", desired_count=4, launch_type="FARGATE", cpu=512, memory=1024,
                image="event-router:3.8.1")
    sc.resource("ecs", f"{cl}/schema-registry", desired_count=2, launch_type="FARGATE", cpu=1024, memory=2048,
                image="schema-registry:7.2.0")

    def mem(t):
        if t < O:
            return 38 + 61 * (t + 21600) / (O + 21600)
        ph = ((t - O) % 480) / 480.0
        return 84 + 14 * ph
    memv = sc.series(mem, noise=0.015, cap=100)
    B.ecs_metrics(sc, cl, "event-router", sc.series(lambda t: 41 + 12 * ramp(t, O, O + 120), noise=0.06), memv)
    B.ecs_metrics(sc, cl, "schema-registry", sc.series(lambda t: 12 + bump(t, D + 120, D + 160, 55, 20), noise=0.08),
                  sc.series(lambda t: 55 + 17 * (t + 21600) / 21600 + bump(t, D + 100, D + 160, 4, 20), noise=0.01))
    req = sc.series(lambda t: 2380 * diurnal(sc, t, 18, 0.15), integer=True)
    e5 = sc.series(lambda t: 0.4 + (46 + 30 * (((t - O) % 480) < 120)) * (t >= O), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.021 + 0.06 * (t >= O), noise=0.15, digits=4),
                  sc.series(lambda t: 0.2 + 6 * (t >= O), integer=True), e5,
                  [4.0 - (1 + (((t - O) % 480) < 200)) * (t >= O) for t in GRID],
                  [float((1 + (((t - O) % 480) < 200)) * (t >= O)) for t in GRID])

    lg = "/ecs/event-router"
    tasks = [B.ecs_task_id(sc) for _ in range(4)]
    kills = []
    t, i = O, 0
    while t < -60:
        kills.append((t + sc.rng.uniform(0, 50), tasks[i % 4]))
        t += 120
        i += 1

    def router(st_start):
        def f(t):
            r = sc.rng.random()
            if r < 0.05:
                return zap(sc, t, "error", "dropping event: unknown schema version", "pipeline/validate.go:88",
                           schema_id=sc.rng.choice([4412, 4413, 5120]), source="partner-webhooks")
            age = t - st_start
            buf = int(4000 + age * (1.35 if t < O else 150) * sc.rng.uniform(0.95, 1.05))
            if r < 0.25:
                return zap(sc, t, "warn", "delivery buffer above soft limit", "pipeline/buffer.go:131",
                           buffered_events=buf, soft_limit=50000) if buf > 50000 else None
            return zap(sc, t, "info", "batch forwarded", "pipeline/forward.go:57", events=sc.rng.randint(200, 900),
                       sink="kinesis:ingest-main", dur_ms=sc.rng.randint(8, 40))
        return f
    ev_g, ev_s = "/aws/events/ecs-task-state", "ingest-task-state"
    for k, tid in enumerate(tasks):
        start = -21600 - 3600 * (k + 5)
        my = sorted(kt for kt, tk in kills if tk == tid)
        bounds = [B.LOG_START] + my + [0.0]
        for j in range(len(bounds) - 1):
            seg_start = start if j == 0 else bounds[j]
            st = f"router/event-router/{tid if j == 0 else B.ecs_task_id(sc)}"
            B.emit(sc, lg, st, lambda t: 2.5, router(seg_start), t0=bounds[j] + (30 if j else 0), t1=bounds[j + 1])
            if j:
                sc.log(lg, st, bounds[j] + 30, zap(sc, bounds[j] + 30, "info", "replaying unacked events from checkpoint",
                                                   "pipeline/replay.go:21", lag_events=sc.rng.randint(180000, 260000)))
        for kt in my:
            sc.log(ev_g, ev_s, kt + 2, jline({
                "version": "0", "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": "us-west-2",
                "detail": {"clusterArn": f"arn:aws:ecs:us-west-2:{sc.account}:cluster/{cl}", "group": "service:event-router",
                           "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                           "stoppedReason": "Essential container in task exited",
                           "containers": [{"name": "event-router", "exitCode": 137,
                                           "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                           "taskArn": f"arn:aws:ecs:us-west-2:{sc.account}:task/{cl}/{tid}"}}))
    for k in range(2):
        st = f"registry/schema-registry/{B.ecs_task_id(sc)}"
        B.emit(sc, "/ecs/schema-registry", st, lambda t: 0.0 if D + 125 <= t < D + 160 else 1.0, lambda t: spring(
            sc, t, "INFO", f"http-nio-8081-exec-{sc.rng.randint(1, 20)}", "c.i.registry.api.SchemaController",
            f"GET /subjects/{sc.rng.choice(['orders', 'clicks', 'devices'])}-value/versions/latest 200", "schema-registry"))
        sc.log("/ecs/schema-registry", st, D + 161 + k, spring(
            sc, D + 161 + k, "WARN", "http-nio-8081-exec-3", "c.i.registry.api.RequestTimingFilter",
            "Slow request: GET /schemas/ids/4410 took 34812 ms", "schema-registry"))
    B.emit(sc, lg, f"router/event-router/{tasks[0]}", lambda t: 3, lambda t: zap(
        sc, t, "warn", "schema lookup retry", "schema/client.go:64", attempt=1,
        err="Get \"http://schema-registry.ingest.local:8081/schemas/ids/4410\": EOF"), t0=D + 130, t1=D + 160)

    sc.alarm("ingest-edge-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Ingest edge 5xx")
    sc.alarm("schema-registry-memory", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": "schema-registry"},
             "Average", 300, 2, 65, "GreaterThanThreshold", "schema-registry memory high")
    sc.expect = {"alarm": "ingest-edge-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/event-router", "event-router"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": "event-router"}}]}
    return sc
