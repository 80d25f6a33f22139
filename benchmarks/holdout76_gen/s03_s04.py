"""h76-03 election-night results page: a ninefold traffic surge on the front-page ALB;
h76-04 a 01:00 deploy of the server-side article renderer (ECS, Node) breaks bylines."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import nginx, pino

from .kit import (TaskStreams, alb, alb_id, ec2, ecs, fpm_log, instance_id, lam, make,
                  nginx_error, php_log, rds, scatter)


def build03():
    sc = make(3, "fp-edge-results-night", "Front page and results pages slow; latency alarm on the "
              "public load balancer fired late on election night.", "us-east-1",
              "2026-11-04T03:25:00")
    T = -2100
    lb = alb_id(sc, "fp-edge")
    surge = lambda t: ramp(t, T - 120, T + 300)
    base = lambda t: 1500 * diurnal(sc, t, 16.0, 0.3)
    req = lambda t: base(t) * (1 + 8.0 * surge(t))
    webs = [(instance_id(sc), f"pub-web-{i}") for i in range(1, 5)]
    alb(sc, lb, "fp-edge", req, lambda t: 0.11 + 1.75 * surge(t),
        t5xx=lambda t: 1.0 + 170 * surge(t), e5xx=lambda t: 14 * surge(t), hosts=4)
    for iid, name in webs:
        ec2(sc, iid, name, "c7g.2xlarge", lambda t: 27 * diurnal(sc, t, 16.0, 0.3) + 46 * surge(t),
            mem=lambda t: 49 + 9 * surge(t), disk=lambda t: 38.0,
            net=lambda t: 1.6e7 * req(t) / 1500)
    rds(sc, "cms-reader-1", "postgres", "db.r6g.xlarge", 1600, 800,
        lambda t: 21 + 19 * surge(t), lambda t: 62 + 34 * surge(t), lambda t: 640.0,
        read_lat=lambda t: 0.0011 + 0.0009 * surge(t), engine_version="16.4")
    lam(sc, "alerts-fanout", "nodejs20.x", 1024, 120, lambda t: 0.3 + 14 * bump(t, T - 240, T - 60, 1, 60),
        lambda t: 0.0, lambda t: 5200.0)
    surge_paths = ["/live/2026/nov/03/us-election-results-live", "/api/results/state/PA",
                   "/api/results/state/GA", "/api/results/state/AZ", "/api/results/national",
                   "/elections/2026/results/map"]
    paths = ["/", "/politics/", "/world/", "/opinion/", "/sports/", "/feeds/latest.json"]
    for iid, _ in webs:
        def access(t, iid=iid):
            s = surge(t)
            p = sc.rng.choice(surge_paths) if sc.rng.random() < 0.85 * s else sc.rng.choice(paths)
            bad = sc.rng.random() < 0.05 * s
            st = 504 if bad else sc.rng.choice([200] * 18 + [304, 301])
            rt = 30.0 if bad else sc.rng.lognormvariate(-2.3 + 2.6 * s, 0.5)
            sc.log("/fp/nginx/access", iid, t, nginx(sc, t, sc.ip("172.31"), "GET", p, st,
                                                     160 if bad else sc.rng.randint(4000, 90000), rt))
        scatter(sc, lambda m: 2.5 * (1 + 3.5 * surge(m)), access)
        scatter(sc, lambda m: 0.6, lambda t, iid=iid: sc.log(
            "/fp/php-fpm/error", iid, t, php_log(
                sc, t, "Notice", "Undefined index: utm_campaign in /srv/newsroom/src/Tracking/"
                "Attribution.php on line 112")))
        scatter(sc, lambda m: 3.0 * surge(m), lambda t, iid=iid: sc.log(
            "/fp/php-fpm/error", iid, t, fpm_log(
                sc, t, "WARNING", "[pool www] server reached pm.max_children setting (64), "
                "consider raising it")))
        scatter(sc, lambda m: 4.0 * surge(m), lambda t, iid=iid: sc.log(
            "/fp/nginx/error", iid, t, nginx_error(
                sc, t, "error", "upstream timed out (110: Connection timed out) while reading "
                "response header from upstream", sc.ip("172.31"), "www.dailyledger.example",
                f"GET {sc.rng.choice(surge_paths)} HTTP/1.1",
                "fastcgi://unix:/run/php/php8.3-fpm.sock:")))
        scatter(sc, lambda m: 0.15, lambda t, iid=iid: sc.log(
            "/fp/nginx/error", iid, t, nginx_error(
                sc, t, "warn", "an upstream response is buffered to a temporary file "
                "/var/cache/nginx/fastcgi_temp/4/21/0000031214 while reading upstream",
                sc.ip("172.31"), "www.dailyledger.example", "GET /feeds/latest.json HTTP/1.1",
                "fastcgi://unix:/run/php/php8.3-fpm.sock:")))
    sc.alarm("fp-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 300, 2, 1.0, "GreaterThanThreshold", "Front page p-avg latency above 1 s")
    sc.alarm("fp-edge-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 2, 150, "GreaterThanThreshold")
    sc.alarm("cms-reader-1-cpu", "AWS/RDS", "CPUUtilization",
             {"DBInstanceIdentifier": "cms-reader-1"}, "Average", 300, 3, 75, "GreaterThanThreshold")
    sc.change(-9800, "elasticache.amazonaws.com", "ModifyCacheCluster",
              "AWS::ElastiCache::CacheCluster", "fp-memcached", "platform-ops")
    sc.change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "alerts-fanout", "ci-newsroom")
    sc.expect = {"alarm": "fp-edge-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "fp-edge"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "origin (ALB)", "decoys": "alerts-fanout deploy 3 min before the surge "
               "(and its push burst); second 5XX alarm; pm.max_children warnings; old memcached "
               "change; long-running PHP notices", "services": "ALB, EC2, RDS Postgres, Lambda",
               "runtime": "PHP-FPM", "logs": "nginx access + error, PHP-FPM"}
    return sc


def build04():
    sc = make(4, "article-ssr-byline", "Article pages intermittently return 500; the site-edge "
              "target 5XX alarm paged overnight.", "eu-central-1", "2026-06-18T01:45:00")
    D = -2500
    lb = alb_id(sc, "site-edge")
    new = lambda t: ramp(t, D + 30, D + 270)
    req = lambda t: 900 * diurnal(sc, t, 13.0, 0.35)
    alb(sc, lb, "site-edge", req, lambda t: 0.21 + 0.05 * new(t),
        t5xx=lambda t: 0.6 + req(t) * 0.2 * new(t), hosts=6, t4xx=lambda t: req(t) * 0.03)
    svc = ecs(sc, "web-prod", "article-ssr", lambda t: 34 + 22 * bump(t, D, D + 300, 1, 60),
              lambda t: 46 + 3 * new(t), 6, launch_type="FARGATE", task_cpu=1024, task_memory=2048,
              container="ssr", image_tag="2026.06.18-0102-7f3c1e9")
    lam(sc, "push-notify", "nodejs20.x", 256, 30, lambda t: 4 * diurnal(sc, t, 13.0, 0.35),
        lambda t: 0.02, lambda t: 420.0)
    ts = TaskStreams(sc, "ssr", "ssr", 6, deploys=[D + 30], roll=240)
    rel = {0: "2026.06.16-1740-a91d0b2", 1: "2026.06.18-0102-7f3c1e9"}
    urls = ["/politik/", "/wirtschaft/", "/sport/bundesliga/", "/kultur/", "/"]

    def line(t):
        i = ts.epoch(t)
        st = ts.stream(t, i)
        host = st.split("/")[-1][:12]
        article = sc.rng.random() < 0.6
        url = (f"/{sc.rng.choice(['politik', 'wirtschaft', 'panorama', 'sport'])}/"
               f"{sc.rng.choice(['merz', 'dax', 'hitze', 'em', 'bahn', 'tarif'])}-"
               f"{sc.rng.randint(10 ** 7, 10 ** 8)}.html") if article else sc.rng.choice(urls)
        if i == 1 and article and sc.rng.random() < 0.34:
            sc.log("/ecs/article-ssr", st, t, pino(
                sc, t, "error", "SSR render failed", host, pid=1, release=rel[i],
                req={"method": "GET", "url": url}, err={
                    "type": "TypeError", "message": "Cannot read properties of undefined "
                    "(reading 'displayName')", "stack": "TypeError: Cannot read properties of "
                    "undefined (reading 'displayName')\n    at Byline (/app/.next/server/chunks/"
                    "4127.js:1:8812)\n    at renderWithHooks (/app/node_modules/react-dom/cjs/"
                    "react-dom-server.node.production.js:3987:18)\n    at renderElement "
                    "(/app/node_modules/react-dom/cjs/react-dom-server.node.production.js:4120:7)"}))
            sc.log("/ecs/article-ssr", st, t + 0.004, pino(
                sc, t + 0.004, "info", "request completed", host, release=rel[i],
                req={"method": "GET", "url": url}, res={"statusCode": 500},
                responseTime=round(sc.rng.uniform(40, 90), 1)))
            return
        code = 404 if sc.rng.random() < 0.03 else 200
        sc.log("/ecs/article-ssr", st, t, pino(
            sc, t, "info", "request completed", host, release=rel[i],
            req={"method": "GET", "url": url}, res={"statusCode": code},
            responseTime=round(sc.rng.lognormvariate(5.1, 0.4), 1)))

    scatter(sc, lambda m: 5.0 * diurnal(sc, m, 13.0, 0.35), line)

    def adwarn(t):
        st = ts.stream(t)
        sc.log("/ecs/article-ssr", st, t, pino(
            sc, t, "warn", "ad slot prefetch failed", st.split("/")[-1][:12], release=rel[ts.epoch(t)],
            slot="billboard-top", err={"type": "FetchError", "code": "ECONNRESET",
                                       "message": "request to https://adserver.partner.example/"
                                       "v2/slots failed, reason: socket hang up"}))
    scatter(sc, lambda m: 1.1, adwarn)
    for i, tasks in enumerate(ts.epochs):
        start = -21600 if i == 0 else tasks[0] + 20
        for st in tasks[1]:
            sc.log("/ecs/article-ssr", st, start + sc.rng.uniform(0, 200), pino(
                sc, start, "info", f"ready - started server on 0.0.0.0:3000, release {rel[i]}",
                st.split("/")[-1][:12]))
    sc.alarm("site-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "site-edge: targets returning 5xx")
    sc.alarm("site-edge-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"LoadBalancer": lb}, "Maximum", 60, 3, 0, "GreaterThanThreshold")
    sc.alarm("article-ssr-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "web-prod", "ServiceName": "article-ssr"}, "Average", 300, 2, 75,
             "GreaterThanThreshold")
    sc.change(D - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "article-ssr:214", "github-actions-deploy")
    sc.change(D, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
              "github-actions-deploy")
    sc.change(D + 110, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "push-notify", "n.weber")
    sc.change(-13900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "web-prod/section-feeds", "github-actions-deploy")
    sc.expect = {"alarm": "site-edge-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [svc, "article-ssr"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "push-notify config update during the roll-out "
               "(closer to onset than the deploy); ECONNRESET ad-server warnings all along; "
               "CPU bump from the roll; older deploy of another service",
               "services": "ALB, ECS Fargate, Lambda", "runtime": "Node.js (Next.js)",
               "logs": "pino JSON"}
    return sc


BUILDERS = [build03, build04]
