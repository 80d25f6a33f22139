"""Scenarios with EC2 instances behind an ALB."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, N, START, T, Ctx, alb_metrics, ec2_metrics
from .logfmt import gunicorn, nginx, spring, times_in


def _health(ctx, every=10.0, srcs=("10.50.1.17", "10.50.2.201"), path="/healthz"):
    out = []
    for t in np.arange(LOG_START, 0, every) + ctx.rng.uniform(0, 1):
        for s in srcs:
            out.append((t + ctx.rng.uniform(0, 0.3), nginx(ctx, t, s, "GET", path, 200, 2, 0.001, ua="ELB-HealthChecker/2.0")))
    return out


def h10_ingest_disk_full():
    ctx = Ctx(910, "h9-10-ingest-disk-full", "eu-west-3", datetime(2026, 6, 2, 22, 10))
    lb = "app/ingest-alb/1a2b3c4d5e6f7081"
    i1, i2 = "i-04b7e1c9d2a3f5068", "i-09d3a6c2e8f1b7450"
    full = -1440
    ctx.resource("alb", lb)
    ctx.resource("ec2", i1, name="ingest-1", log_groups=["/ingest/app", "/ingest/nginx"])
    ctx.resource("ec2", i2, name="ingest-2", log_groups=["/ingest/app", "/ingest/nginx"])
    disk2 = np.clip(71 + 29 * np.clip((T + 14000) / (14000 + full), 0, 1) ** 1.6 + ctx.rng.normal(0, 0.05, N), 0, 100)
    disk2 = np.where(T >= full, 100.0, disk2)
    a = T >= full
    req = ctx.noise(ctx.drift(420, 0.15), 18)
    t5 = np.where(a, ctx.poisson(req * 0.5 * 0.8), ctx.poisson(np.full(N, 0.2)))
    alb_metrics(ctx, lb, req, ctx.noise(0.048, 0.005) - 0.01 * a, t5, ctx.poisson(np.full(N, 0.05)), 2)
    ec2_metrics(ctx, i1, ctx.noise(29, 3), ctx.noise(req * 0.5 * 14e3, 3e5), ctx.noise(52, 1), ctx.noise(81.3, 0.08))
    ec2_metrics(ctx, i2, ctx.noise(29, 3) - 9 * a, ctx.noise(req * 0.5 * 14e3, 3e5), ctx.noise(54, 1), disk2)
    for inst, name, broken in ((i1, "ingest-1", False), (i2, "ingest-2", True)):
        acc = _health(ctx, 15.0, path="/ping")
        app = []
        for t in times_in(ctx, req / 2 / 14, LOG_START):
            bad = broken and t >= full and ctx.rng.random() < 0.8
            acc.append((t, nginx(ctx, t, ctx.ip("10.50"), "POST", "/v1/events", 500 if bad else 202, 35 if bad else 17,
                                 ctx.rng.uniform(0.002, 0.01) if bad else ctx.rng.uniform(0.02, 0.09))))
        for t in times_in(ctx, np.full(N, 12.0), LOG_START):
            app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(2000, 2100)), "INFO",
                                    f"spooled batch {ctx.hexid(12)} events={int(ctx.rng.integers(20, 500))} -> /var/spool/ingest")))
        for t in times_in(ctx, np.full(N, 0.5), LOG_START):
            app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(2000, 2100)), "WARNING",
                                    "schema drift: unknown field 'client_hints' dropped")))
        if broken:
            for t in times_in(ctx, np.where(a, 9.0, 0.0), LOG_START):
                app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(2000, 2100)), "ERROR",
                                        "Exception on /v1/events [POST]\nTraceback (most recent call last):\n"
                                        "  File \"/opt/ingest/ingest/spool.py\", line 48, in write_batch\n    fh.write(payload)\n"
                                        f"OSError: [Errno 28] No space left on device: '/var/spool/ingest/batch-{ctx.hexid(12)}.jsonl'")))
            for t in times_in(ctx, np.where(a, 2.0, 0.0), LOG_START):
                acc.append((t, f"{ctx.wall(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 1187#1187: *{int(ctx.rng.integers(10**5, 10**6))} pwrite() "
                               f"\"/var/lib/nginx/tmp/client_body/00000{int(ctx.rng.integers(10000, 99999))}\" failed (28: No space left on device), "
                               f"client: {ctx.ip('10.50')}, server: _, request: \"POST /v1/events HTTP/1.1\", host: \"ingest.acme.fr\""))
            for t in (-3605.0, -7205.0):
                app.append((t, gunicorn(ctx, t, 1, "WARNING", "spool janitor: S3 upload backlog 41233 files, oldest 3h12m")))
        ctx.log("/ingest/nginx", inst, acc)
        ctx.log("/ingest/app", inst, app)
    ctx.alarm("ingest-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10)
    accepted = [i2, "ingest-2"]
    data = ctx.build("Event ingestion losing data; ingest ALB 5XX alarm.",
                     {"alarm": "ingest-alb-target-5xx", "root_cause": {"category": "storage_exhaustion", "resource": accepted},
                      "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                     "dimensions": {"InstanceId": i2, "path": "/", "fstype": "xfs"}}]})
    meta = dict(alarm="ingest-alb-target-5xx", category="storage_exhaustion", resources=accepted,
                decoys="ingest-1 disk at 81% steady (same category, not the cause); steady schema-drift WARNINGs; health-check "
                       "noise in the nginx group",
                story="ingest-2's spool uploader fell behind hours ago; /var/spool/ingest grew until the root volume hit 100% "
                      "24 min ago. Writes fail with 'No space left on device' (app and nginx client_body), half of the "
                      "POSTs (those routed to ingest-2) return 500. ingest-1 is on a fuller-than-ideal but steady disk.")
    return data, meta


def h16_web_latency_blip():
    ctx = Ctx(916, "h9-16-web-latency-blip", "us-east-1", datetime(2026, 12, 1, 3, 55))
    lb = "app/web-alb/77aa88bb99cc00dd"
    ia, ib = "i-0aa1bb2cc3dd4ee56", "i-0ff6ee5dd4cc3bb21"
    ctx.resource("alb", lb, name="web-alb", targets=[ia, ib])
    ctx.resource("ec2", ia, name="web-a", instance_type="c7g.large", log_groups=["/web/app", "/web/access"])
    ctx.resource("ec2", ib, name="web-b", instance_type="c7g.large", log_groups=["/web/app", "/web/access"])
    blip = (T >= -360).astype(float)
    req = ctx.noise(ctx.drift(240, 0.3, phase=-1.2), 12)
    rt = ctx.noise(0.19, 0.02) + blip * np.abs(ctx.rng.normal(0.42, 0.1, N))
    alb_metrics(ctx, lb, req, rt, ctx.poisson(np.full(N, 0.4)), ctx.poisson(np.full(N, 0.05)), 2)
    for inst in (ia, ib):
        ec2_metrics(ctx, inst, ctx.noise(23, 3), ctx.noise(req * 0.5 * 9e3, 2e5), ctx.noise(48, 1), ctx.noise(36.4, 0.06))
        acc = _health(ctx, 10.0, srcs=("10.90.1.33", "10.90.2.54"))
        for t in times_in(ctx, req / 2 / 6, LOG_START):
            i = int((t + 21600) // 60)
            acc.append((t, nginx(ctx, t, ctx.ip("10.90"), "GET", str(ctx.rng.choice(["/", "/docs/", "/pricing", "/blog/"])) ,
                                 200, int(ctx.rng.integers(2000, 90000)), rt[i] * ctx.rng.uniform(0.5, 1.5))))
        ctx.log("/web/access", inst, acc)
        app = []
        for t in np.arange(START, 0, 30.0) + ctx.rng.uniform(0, 5):
            app.append((t, spring(ctx, t, "ERROR", "pool-3-thread-2", "c.a.web.jobs.SitemapRefreshJob",
                                  "Failed to fetch https://cdn.partner-feeds.example/feed.xml: 404 Not Found", "web")))
        for t in times_in(ctx, np.full(N, 4.0), LOG_START):
            app.append((t, spring(ctx, t, "INFO", f"http-nio-8080-exec-{int(ctx.rng.integers(1, 50))}", "c.a.web.PageController",
                                  f"rendered page in {int(ctx.rng.integers(20, 160))} ms", "web")))
        ctx.log("/web/app", inst, app)
    ctx.change(-7300, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/web/prod/banner_text", "marketing-ops")
    ctx.alarm("web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.4,
              description="web-alb average target response time")
    accepted = [lb, "web-alb"]
    data = ctx.build("web-alb latency alarm fired at night; no customer reports.",
                     {"alarm": "web-alb-latency", "root_cause": {"category": "unknown", "resource": accepted},
                      "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(alarm="web-alb-latency", category="unknown", resources=accepted,
                decoys="loud SitemapRefreshJob ERROR every 30 s on both hosts for all 6 h; PutParameter 2 h earlier",
                story="Average target response time rose from ~0.2 s to ~0.6 s for the last six minutes. Request volume, "
                      "CPU, memory, disk, 5XX counts and the application logs are unchanged; the only ERROR lines are the "
                      "sitemap job's 404 that has been failing every 30 s all night. Nothing supports a root cause yet.")
    return data, meta


def h17_cart_redis_param():
    ctx = Ctx(917, "h9-17-cart-redis-endpoint-param", "us-west-1", datetime(2026, 5, 19, 18, 35))
    lb = "app/cart-alb/2468ace013579bdf"
    c1, c2 = "i-0d1e2f3a4b5c6d7e8", "i-0e9d8c7b6a5f4e3d2"
    put, reload_ = -1620, -1571
    ctx.resource("alb", lb)
    ctx.resource("ec2", c1, name="cart-1", log_groups=["/cart/app"])
    ctx.resource("ec2", c2, name="cart-2", log_groups=["/cart/app"])
    a = T >= reload_ - 11
    req = ctx.noise(ctx.drift(380, 0.12), 15)
    t5 = np.where(a, ctx.poisson(req * 0.62), ctx.poisson(np.full(N, 0.3)))
    alb_metrics(ctx, lb, req, ctx.noise(0.07, 0.007) + 0.02 * a, t5, np.zeros(N), 2)
    for inst in (c1, c2):
        ec2_metrics(ctx, inst, ctx.noise(33, 3) - 6 * a, ctx.noise(req * 0.5 * 7e3, 2e5), ctx.noise(57, 1), ctx.noise(44.1, 0.05))
        app = []
        for t in np.arange(START + 11, 0, 60.0):
            ver = 37 if t >= put else 36
            app.append((t, gunicorn(ctx, t, 4411, "INFO", f"config poller: SSM /cart/prod/* unchanged (version {ver})")
                        if not (reload_ <= t < reload_ + 60) else
                        gunicorn(ctx, t, 4411, "INFO", "config poller: reloaded 14 parameters from SSM /cart/prod/* (version 37)")))
        for t in times_in(ctx, req / 2 / 10, LOG_START):
            if t >= reload_ and ctx.rng.random() < 0.62:
                app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(4412, 4430)), "ERROR",
                                        "Exception on /api/cart [GET]\nTraceback (most recent call last):\n"
                                        "  File \"/srv/cart/cart/session.py\", line 39, in load_cart\n    raw = cache.get(key)\n"
                                        "  File \"/srv/cart/venv/lib/python3.11/site-packages/redis/connection.py\", line 707, in connect\n"
                                        "    raise ConnectionError(self._error_message(e))\n"
                                        "redis.exceptions.ConnectionError: Error -2 connecting to cart-cache-prod.7hq2ws.0001.usw1.cache.amazonaws.con:6379. "
                                        "Name or service not known.")))
            else:
                app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(4412, 4430)), "INFO",
                                        f"GET /api/cart 200 items={int(ctx.rng.integers(0, 9))} {int(ctx.rng.integers(8, 60))}ms")))
        for t in times_in(ctx, np.full(N, 0.7), LOG_START):
            app.append((t, gunicorn(ctx, t, int(ctx.rng.integers(4412, 4430)), "ERROR",
                                    "promo service: coupon 'SPRING' rejected: HTTPError 410 Gone for url: http://promo.internal:8080/v1/coupons/SPRING")))
        ctx.log("/cart/app", inst, app)
    ctx.change(-2230, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/reporting/prod/export_batch_size", "deploy-bot")
    ctx.change(put, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/cart/prod/redis_endpoint", "deploy-bot")
    ctx.change(-9800, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", c2, "ops.rita")
    ctx.alarm("cart-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 25)
    accepted = [c1, "cart-1", c2, "cart-2", "/cart/prod/redis_endpoint"]
    data = ctx.build("Shopping carts empty / cart page erroring; cart ALB target 5XX alarm.",
                     {"alarm": "cart-alb-target-5xx", "root_cause": {"category": "config_change", "resource": accepted},
                      "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(alarm="cart-alb-target-5xx", category="config_change", resources=accepted,
                decoys="another PutParameter (/reporting/...) 10 min earlier; steady promo-service 410 ERRORs; "
                       "ModifyInstanceAttribute on cart-2 2.7 h earlier",
                story="A PutParameter on /cart/prod/redis_endpoint introduced a typo ('.amazonaws.con'). The app's SSM "
                      "poller reloaded it 50 s later and from then on every cache lookup fails with 'Name or service not "
                      "known'; ~60% of requests return 500. The Redis errors look like a dependency failure, but the "
                      "trigger is the parameter change.")
    return data, meta


SCENARIOS = [h10_ingest_disk_full, h16_web_latency_blip, h17_cart_redis_param]
