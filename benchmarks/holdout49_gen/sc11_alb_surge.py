"""h49-11: a marketing email blast sends 4-5x the usual traffic to the storefront;
latency and 504s follow, with the ECS service busy but not pinned and already at its
autoscaling maximum. Access logs are sampled (2 %) JSON without a level field; a stale
alarm on a deleted target group is INSUFFICIENT_DATA."""
from __future__ import annotations

import json
import math

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario

NOW = "2026-03-14T19:05:00"
REGION = "eu-west-1"
ALB = "app/storefront-alb/0e7c3d9a5b1f2486"
BLAST = -1500
LOG_FROM = -7200
SAMPLE = 0.02


def build():
    rng = Rng(4911)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"))

    def load(t):  # multiplier over the usual evening traffic
        if t < BLAST:
            return 1.0
        x = (t - BLAST) / 60.0
        return 1.0 + 3.6 * min(1.0, x / 3.0) * math.exp(-max(0.0, x - 6) / 120.0)

    base = lambda t: 430 * diurnal(t, 0.18, -20000)
    req = {t: rng.pois(base(t) * load(t)) for t in range(-21600, 0, 60)}
    over = lambda t: max(0.0, load(t) - 2.2)
    alb = {"LoadBalancer": ALB}
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb, "Count", pts(lambda t: req[t], integer=True))
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds",
                  pts(lambda t: rng.noise(0.142, 0.012) + over(t) * rng.uniform(0.62, 0.78), nd=4))
    t5 = {t: rng.pois(0.15 + 17 * over(t)) for t in req}
    m_t5 = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", pts(lambda t: t5[t], integer=True))
    m_e5 = metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count",
                  pts(lambda t: rng.pois(0.05 + 2.5 * over(t)), integer=True))
    m_t2 = metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", alb, "Count",
                  pts(lambda t: req[t] * 0.96 - t5[t], integer=True))
    m_ac = metric("AWS/ApplicationELB", "ActiveConnectionCount", alb, "Count",
                  pts(lambda t: req[t] * rng.uniform(0.55, 0.62) * (1 + 0.8 * over(t)), integer=True))
    m_nc = metric("AWS/ApplicationELB", "NewConnectionCount", alb, "Count",
                  pts(lambda t: req[t] * rng.uniform(0.21, 0.25), integer=True))
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", pts(lambda t: 6.0))
    ecs = lambda s: {"ClusterName": "storefront", "ServiceName": s}
    m_cpu = metric("AWS/ECS", "CPUUtilization", ecs("web"), "Percent",
                   pts(lambda t: rng.noise(34, 2.5) * diurnal(t, 0.18, -20000) + 13.0 * (load(t) - 1)))
    m_mem = metric("AWS/ECS", "MemoryUtilization", ecs("web"), "Percent",
                   pts(lambda t: rng.noise(51 + 2.2 * (load(t) - 1), 0.6)))
    m_acpu = metric("AWS/ECS", "CPUUtilization", ecs("admin"), "Percent",
                    pts(lambda t: rng.noise(88, 4) if -9300 <= t < -8700 else rng.noise(12, 2)))
    m_amem = metric("AWS/ECS", "MemoryUtilization", ecs("admin"), "Percent", pts(lambda t: rng.noise(44, 0.8)))
    io = {"FunctionName": "image-optimizer"}
    m_io = [metric("AWS/Lambda", "Invocations", io, "Count", pts(lambda t: rng.pois(14), integer=True)),
            metric("AWS/Lambda", "Errors", io, "Count", pts(lambda t: 0.0)),
            metric("AWS/Lambda", "Duration", io, "Milliseconds", pts(lambda t: rng.noise(640, 70)))]

    # --------------------------------------------------------------- logs
    tasks = [rng.hx(32) for _ in range(6)]
    acc = {k: [] for k in tasks}
    err = {k: [] for k in tasks}
    ua_web = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15"]
    ua_mail = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
               "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36 GSA/15.5"]
    paths = ["/", "/c/womens-shoes", "/c/mens-jackets", "/p/%d", "/cart", "/api/stock/%d", "/search?q=trainers"]
    for m in range(LOG_FROM, 0, 60):
        n = sum(1 for _ in range(req[m]) if rng.random() < SAMPLE)
        for _ in range(n):
            t = m + rng.random() * 60
            campaign = m >= BLAST and rng.random() < (load(m) - 1) / load(m)
            if campaign:
                path = "/sale/spring-2026?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale-2026"
                if rng.random() < 0.4:
                    path = "/p/%d?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale-2026" % rng.randint(100000, 999999)
                ua, ref = rng.choice(ua_mail), "-"
            else:
                p = rng.choice(paths)
                path = p % rng.randint(100000, 999999) if "%d" in p else p
                ua, ref = rng.choice(ua_web), "https://www.acme-store.eu/"
            slow = over(m) * rng.uniform(0.4, 1.1)
            rt = round(max(0.004, rng.gauss(0.13, 0.05) + slow), 3)
            status = 504 if rng.random() < t5[m] / max(1, req[m]) else 200
            if status == 504:
                rt = 30.0
            acc[rng.choice(tasks)].append([t + rt, J({"time": clock.iso_off(t + rt, 0, ms=False), "remote_addr": rng.ip("81.1%d" % rng.randint(0, 9)),
                                                      "request": "GET %s HTTP/1.1" % path, "status": status,
                                                      "body_bytes_sent": 0 if status == 504 else rng.randint(2000, 90000),
                                                      "request_time": rt, "upstream_response_time": "%.3f" % (rt - 0.001),
                                                      "http_referer": ref, "http_user_agent": ua})])
    for k in tasks:  # steady, harmless: missing touch icons
        t = LOG_FROM
        while t < 0:
            t += rng.expovariate(1 / 240.0)
            err[k].append([t, '%s [error] 31#31: *%d open() "/usr/share/nginx/html/apple-touch-icon-precomposed.png" failed '
                           '(2: No such file or directory), client: %s, server: _, request: "GET /apple-touch-icon-precomposed.png HTTP/1.1"'
                           % (clock.fmt(t, "%Y/%m/%d %H:%M:%S"), rng.randint(10000, 999999), rng.ip("81.12"))])
    for m in range(BLAST, 0, 60):
        for _ in range(t5[m]):
            t = m + rng.random() * 60
            err[rng.choice(tasks)].append([t, '%s [error] 31#31: *%d upstream timed out (110: Connection timed out) while '
                                           'reading response header from upstream, client: %s, server: _, request: "GET /sale/spring-2026 '
                                           'HTTP/1.1", upstream: "http://127.0.0.1:3000/sale/spring-2026", host: "www.acme-store.eu"'
                                           % (clock.fmt(t, "%Y/%m/%d %H:%M:%S"), rng.randint(10000, 999999), rng.ip("81.13"))])
    logs = []
    for k in tasks:
        logs.append(log_stream("/ecs/storefront/web", "nginx/nginx-access/" + k, acc[k]))
        logs.append(log_stream("/ecs/storefront/web", "nginx/nginx-error/" + k, err[k]))

    metrics = [m_req, m_rt, m_t5, m_e5, m_t2, m_ac, m_nc, m_hh, m_cpu, m_mem, m_acpu, m_amem] + m_io
    alarms = [
        alarm("storefront-alb-latency", m_rt, "Average", 60, 3, 1.0, "GreaterThanThreshold", clock, "ALARM",
              "storefront average target response time above 1 s"),
        alarm("storefront-alb-target-5xx", m_t5, "Sum", 60, 3, 15.0, "GreaterThanThreshold", clock, "ALARM"),
        alarm("storefront-web-tg-latency", None, "Average", 60, 3, 1.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "latency of the pre-migration target group", namespace="AWS/ApplicationELB",
              metric_name="TargetResponseTime",
              dims={"LoadBalancer": ALB, "TargetGroup": "targetgroup/storefront-web-v1/5a1e9c2f7d3b8046"},
              insufficient_since=-3974400),
        alarm("storefront-web-cpu-high", m_cpu, "Average", 300, 2, 90.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "image-optimizer", "buildkite"),
        change(-14200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/admin", "buildkite"),
    ]
    resources = [
        {"type": "alb", "id": ALB, "properties": {"name": "storefront-alb", "scheme": "internet-facing",
                                                  "target_group": "targetgroup/storefront-web-v2/8c4d2e6a1f9b3057",
                                                  "access_logs": "disabled (nginx sidecar logs, 2% sampled)"}},
        {"type": "ecs", "id": "storefront/web", "properties": {
            "launch_type": "FARGATE", "desired_count": 6, "autoscaling": {"min": 3, "max": 6, "target_cpu": 60},
            "cpu": 2048, "memory": 4096, "log_groups": ["/ecs/storefront/web"]}},
        {"type": "ecs", "id": "storefront/admin", "properties": {"launch_type": "FARGATE", "desired_count": 1}},
        {"type": "lambda", "id": "image-optimizer", "properties": {"runtime": "nodejs20.x", "timeout": 30,
                                                                   "memory_size": 1536}},
    ]
    data = scenario("h49-11-alb-email-campaign-surge",
                    "storefront latency alarm and 504s; the spring sale newsletter went out this evening.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("storefront-alb-latency", "traffic_surge", [ALB, "storefront-alb"], [m_req, m_rt]))
    meta = {
        "slug": "alb-email-campaign-surge", "region": REGION, "alarm": "storefront-alb-latency",
        "category": "traffic_surge", "resources": [ALB, "storefront-alb"], "alarm_on": "origin (ALB)",
        "decoys": "image-optimizer Lambda deploy 50 min earlier; storefront/admin deploy and CPU spike hours "
                  "earlier; steady apple-touch-icon 404 errors in nginx; stale target-group alarm INSUFFICIENT_DATA",
        "paragraph": (
            "25 minutes ago requests on storefront-alb jump from ~350 to ~1,600 a minute and then slowly "
            "decay. The sampled (2 %) nginx access log of the web tasks, JSON without a level field, shows "
            "the new traffic is `utm_campaign=spring-sale-2026` newsletter clicks from mobile mail clients. "
            "The six web tasks (already the autoscaling maximum) run hot at ~80 % CPU but are not pinned, "
            "memory is flat, all targets stay healthy; response time rises to 1-2 s and nginx logs "
            "`upstream timed out` (504) in proportion to the excess load. There is no deploy or config "
            "change on this path (the Lambda deploy and admin service are elsewhere), no dependency "
            "errors. Request volume far above usual causing latency and errors with no other fault: "
            "traffic_surge at storefront-alb, alarm on the origin."),
    }
    return data, meta
