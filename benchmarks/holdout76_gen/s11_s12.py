"""h76-11 the related-articles service (ECS, Python) times out against a search node whose EBS
volume failed (EC2 status check); h76-12 a live-blog embed crashes the Laravel live API."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, step
from benchmarks.holdout57_gen.runtimes import gunicorn, jline

from .kit import (TaskStreams, alb, alb_id, ec2, ecs, instance_id, lam, make, monolog, rds,
                  scatter)


def build11():
    sc = make(11, "related-svc-search-node", "'Related articles' rail empty and article pages "
              "slow; 5XX alarm on the internal recirculation load balancer.", "eu-north-1",
              "2026-01-22T12:30:00")
    T, D = -1700, -2900
    lb = alb_id(sc, "recirc-int")
    node, peer = instance_id(sc), instance_id(sc)
    ip = "10.40.3.17"
    down = lambda t: step(t, T, 0.0, 1.0)
    req = lambda t: 1300 * diurnal(sc, t, 12.0, 0.25)
    alb(sc, lb, "recirc-int", req, lambda t: 0.095 + 1.9 * down(t),
        t5xx=lambda t: 0.5 + req(t) * 0.41 * down(t), hosts=4, internal=True)
    svc = ecs(sc, "recirc", "related-svc", lambda t: 41 - 22 * down(t), lambda t: 38.0, 4,
              launch_type="FARGATE", image_tag="r2026.01.22-3")
    ec2(sc, node, "os-data-1", "r6g.2xlarge", lambda t: 0.4 if down(t) else 44.0,
        mem=lambda t: None if down(t) else 81.0, disk=lambda t: None if down(t) else 63.0,
        net=lambda t: 2e4 if down(t) else 2.4e7, status=lambda t: down(t), private_ip=ip,
        log_groups=["/search/opensearch"])
    ec2(sc, peer, "os-data-2", "r6g.2xlarge", lambda t: 41.0 + 3 * down(t), mem=lambda t: 80.0,
        disk=lambda t: 62.0, net=lambda t: 2.3e7, private_ip="10.40.5.92",
        log_groups=["/search/opensearch"])
    lam(sc, "newsletter-build", "python3.12", 1024, 300, lambda t: 0.5, lambda t: 0.0,
        lambda t: 48000.0)
    ts = TaskStreams(sc, "related", "app", 4, deploys=[D + 20], roll=200)
    pids = [sc.rng.randint(8, 40) for _ in range(4)]

    def app(t):
        st = ts.stream(t)
        art = sc.rng.randint(10 ** 6, 10 ** 7)
        if down(t) and sc.rng.random() < 0.8:
            sc.log("/ecs/related-svc", st, t, jline({
                "ts": sc.iso(t), "level": "error", "logger": "related.search", "article_id": art,
                "event": "search backend failed",
                "exc": f"opensearchpy.exceptions.ConnectionTimeout: ConnectionTimeout caused by - "
                       f"ReadTimeoutError(HTTPConnectionPool(host='{ip}', port=9200): Read timed "
                       "out. (read timeout=2))"}))
            sc.log("/ecs/related-svc", st, t + 2.01, gunicorn(sc, t + 2.01, sc.rng.choice(pids),
                                                              "INFO", f'"GET /related/{art}" 503'))
            return
        if sc.rng.random() < 0.04:
            sc.log("/ecs/related-svc", st, t, jline({
                "ts": sc.iso(t), "level": "warning", "logger": "related.api", "event":
                "invalid article id", "raw": f"amp-{art}", "status": 400}))
            return
        sc.log("/ecs/related-svc", st, t, jline({
            "ts": sc.iso(t), "level": "info", "logger": "related.api", "article_id": art,
            "event": "related computed", "hits": sc.rng.randint(6, 12),
            "search_ms": round(sc.rng.lognormvariate(3.4, 0.4), 1)}))
    scatter(sc, lambda m: 4.0, app)
    for i, (d, tasks) in enumerate(ts.epochs):
        for st in tasks:
            t0 = -21500 if i == 0 else d + sc.rng.uniform(20, 180)
            sc.log("/ecs/related-svc", st, t0, gunicorn(sc, t0, 1, "INFO",
                                                         "Starting gunicorn 23.0.0"))
            sc.log("/ecs/related-svc", st, t0 + 0.4, gunicorn(sc, t0 + 0.4, 1, "INFO",
                                                               "Listening at: http://0.0.0.0:8000 (1)"))

    def slowlog(t, iid):
        d = sc.at(t)
        sc.log("/search/opensearch", iid, t,
               f"[{d.strftime('%Y-%m-%dT%H:%M:%S')},{d.microsecond // 1000:03d}][WARN ]"
               f"[i.s.s.query              ] [{'os-data-1' if iid == node else 'os-data-2'}] "
               f"[articles-v9][{sc.rng.randint(0, 5)}] took[{sc.rng.uniform(1.0, 1.8):.1f}s], "
               f"took_millis[{sc.rng.randint(1000, 1800)}], total_hits[10000+ hits], "
               "search_type[QUERY_THEN_FETCH], total_shards[6]")
    scatter(sc, lambda m: 0.5, lambda t: slowlog(t, node), end=T)
    scatter(sc, lambda m: 0.5, lambda t: slowlog(t, peer))
    for k, (dt, msg) in enumerate([
            (-95, "nvme nvme1: I/O 412 QID 3 timeout, aborting"),
            (-64, "nvme nvme1: I/O 412 QID 3 timeout, reset controller"),
            (-31, "XFS (nvme1n1): metadata I/O error in \"xfs_buf_ioend+0x1b0/0x4b0 [xfs]\" at "
                  "daddr 0x3a81c20 len 32 error 5"),
            (-12, "INFO: task opensearch[os-dat:2281 blocked for more than 120 seconds.")]):
        d = sc.at(T + dt)
        sc.log("/search/messages", node, T + dt, f"{d.strftime('%b %d %H:%M:%S')} os-data-1 "
               f"kernel: {msg}")
    sc.alarm("recirc-int-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 50, "GreaterThanThreshold",
             "Recirculation API 5xx")
    sc.alarm("recirc-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 300, 1, 1.0, "GreaterThanThreshold")
    sc.change(D - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "related-svc:88", "gitlab-recirc")
    sc.change(D, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "gitlab-recirc")
    sc.change(-1760, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "newsletter-build", "e.lindqvist")
    sc.expect = {"alarm": "recirc-int-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [node, "os-data-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed",
                                "dimensions": {"InstanceId": node}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "related-svc deploy 20 min before (clean in "
               "between); newsletter-build config update 60 s before onset; OpenSearch slow-query "
               "warnings all along; invalid-id 400s", "services": "ALB, ECS, EC2, Lambda",
               "runtime": "Python (gunicorn) on ECS; OpenSearch on EC2",
               "logs": "JSON app log + gunicorn, OpenSearch slowlog, kernel messages"}
    return sc


def build12():
    sc = make(12, "lb-api-embed-null", "Live blog pages failing for readers; 5XX alarm on the "
              "live publishing load balancer.", "ap-south-1", "2026-12-01T06:40:00")
    T = -1500
    lb = alb_id(sc, "live-pub")
    blog = 88213
    hot = lambda t: step(t, T, 0.0, 1.0)
    req = lambda t: 700 * diurnal(sc, t, 7.0, 0.3)
    alb(sc, lb, "live-pub", req, lambda t: 0.12 + 0.02 * hot(t),
        t5xx=lambda t: 0.8 + req(t) * 0.27 * hot(t), hosts=3, t4xx=lambda t: 6.0)
    svc = ecs(sc, "live", "lb-api", lambda t: 37 + 4 * hot(t), lambda t: 44.0, 3,
              launch_type="FARGATE", image_tag="2026.11.29.2")
    ecs(sc, "live", "push-gw", lambda t: 12.0, lambda t: 30.0, 2, launch_type="FARGATE")
    rds(sc, "live-mysql", "mysql", "db.r6g.large", 1000, 300,
        lambda t: 24 + 30 * bump(t, -2700, -2400, 1, 90), lambda t: 70.0, lambda t: 188.0)
    ts = TaskStreams(sc, "lb-api", "php", 3)

    def app(t):
        st = ts.stream(t)
        x = sc.rng.random()
        if hot(t) and x < 0.3:
            sc.log("/ecs/lb-api", st, t, monolog(
                sc, t, "ERROR", 'Attempt to read property "url" on null',
                exception="[object] (ErrorException(code: 0): Attempt to read property \"url\" on "
                "null at /var/www/app/app/Services/Embed/OEmbedNormalizer.php:88)\n[stacktrace]\n"
                "#0 /var/www/app/app/Services/Embed/OEmbedNormalizer.php(88): Illuminate\\"
                "Foundation\\Bootstrap\\HandleExceptions->handleError()\n#1 /var/www/app/app/"
                "Http/Resources/LiveEntryResource.php(41): App\\Services\\Embed\\OEmbedNormalizer->"
                "normalize()\n#2 {main}", url=f"/api/v3/liveblogs/{blog}/entries?since="
                f"{sc.rng.randint(1, 400)}"))
            return
        if x < 0.33:
            sc.log("/ecs/lb-api", st, t, monolog(sc, t, "ERROR", "CSRF token mismatch.",
                                                  exception="[object] (Illuminate\\Session\\"
                                                  "TokenMismatchException(code: 0): CSRF token "
                                                  "mismatch. at /var/www/app/vendor/laravel/"
                                                  "framework/src/Illuminate/Foundation/Http/"
                                                  "Middleware/VerifyCsrfToken.php:88)")
                   if sc.rng.random() < 0.25 else monolog(sc, t, "WARNING", "Redis cache miss",
                                                          key=f"liveblog:{sc.rng.randint(88000, 88300)}:entries"))
            return
        sc.log("/ecs/lb-api", st, t, monolog(sc, t, "INFO", "request handled",
                                              route="liveblogs.entries.index",
                                              blog=sc.rng.choice([blog, blog, 88190, 88207, 88154]),
                                              status=200, ms=sc.rng.randint(40, 180)))
    scatter(sc, lambda m: 5.0 * diurnal(sc, m, 7.0, 0.3), app)
    for k in range(14):
        t = T - 2400 + k * 300 + sc.rng.uniform(-60, 60)
        if k == 8:
            t = T - 25
        sc.log("/ecs/lb-api", ts.stream(t), t, monolog(
            sc, t, "INFO", "Live entry published", blog=blog, entry=9000 + k,
            editor=sc.rng.choice([4411, 4411, 3920, 5107]),
            blocks=["text", "embed:instagram"] if k == 8 else ["text"]))
    sc.alarm("live-pub-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 40, "GreaterThanThreshold",
             "Live publishing 5xx")
    sc.alarm("live-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "live-mysql"},
             "Average", 300, 1, 45, "GreaterThanThreshold")
    sc.change(-1560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "live/push-gw",
              "gha-live")
    sc.change(-8800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "live-mysql",
              "p.iyer")
    sc.expect = {"alarm": "live-pub-5xx",
                 "root_cause": {"category": "application_error", "resource": [svc, "lb-api"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "push-gw deploy 60 s before onset; live-mysql "
               "CPU spike (alarm fired, cleared) ending 13 min before; CSRF-mismatch errors and cache "
               "misses all along; old RDS modify", "services": "ALB, ECS, RDS MySQL",
               "runtime": "PHP (Laravel) on ECS", "logs": "Monolog JSON"}
    return sc


BUILDERS = [build11, build12]
