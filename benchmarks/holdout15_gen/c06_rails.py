"""h15-06: Rails (puma, lograge) on two EC2 instances with basic monitoring behind an
ALB; one instance's CPU pins at 100 %. A routine ETL host saturates its own CPU on a
two-hour cadence, once right before onset. Alarm on the ALB's p99 latency."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, bump, change, ramp, scenario
from .logfmt import ruby_logger

REGION = "us-east-2"
LB = "app/www-prod/6e2c4a8f1b3d5079"
TG = "targetgroup/rails-puma/1a3c5e7f9b2d4608"
WA, WA_N = "i-0a91c4e2f7b3d5168", "web-rails-a"
WB, WB_N = "i-0b37e5d1c9a2f4086", "web-rails-b"
ETL, ETL_N = "i-0c6d2f8a4e1b3579a", "etl-nightly-1"
ONSET = -2700.0
ROUTES = [("GET", "/products/{n}", "ProductsController", "show", 0.34), ("GET", "/", "HomeController", "index", 0.16),
          ("GET", "/search", "SearchController", "index", 0.18), ("GET", "/cart", "CartsController", "show", 0.12),
          ("POST", "/cart/items", "CartItemsController", "create", 0.08),
          ("GET", "/collections/{s}", "CollectionsController", "show", 0.12)]
TIMEOUT_BT = ("Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):\n"
              "  \n"
              "app/views/products/_variant_grid.html.erb:14:in `block in _app_views_products__variant_grid_html_erb___2411029'\n"
              "app/views/products/_variant_grid.html.erb:9:in `each'\n"
              "app/views/products/show.html.erb:41:in `_app_views_products_show_html_erb___1187203'\n"
              "app/controllers/products_controller.rb:18:in `show'")


def lograge(meth, path, ctrl, act, status, dur, view, db, rid, ip):
    return (f"method={meth} path={path} format=html controller={ctrl} action={act} status={status} "
            f"duration={dur:.2f} view={view:.2f} db={db:.2f} request_id={rid} remote_ip={ip}")


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 6, 9, 18, 35), utc_offset_h=-5)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(13.0, 0.3)
    hot = ramp(t, ONSET, 300)
    req = ctx.poisson(84 * shape * (1 + ctx.ar(0.05)))
    req_b = np.array([rng.binomial(int(n), 0.5) for n in req], dtype=float)
    to_b = np.array([rng.binomial(int(n), 0.09 * h) for n, h in zip(req_b, hot)], dtype=float)
    lat_b = 0.14 + hot * (6.5 + ctx.ar(0.6))
    rt = 0.5 * (0.13 + ctx.ar(0.01)) + 0.5 * lat_b
    t5 = to_b + (rng.random(ctx.n) < 0.03)
    unhealthy = ((rng.random(ctx.n) < 0.35) * hot).astype(float)
    etl_job = sum(bump(t, s, s + 620, 90) for s in (-17600, -10400, -3200))
    metrics = aws.alb_lb(ctx, LB, req, t5xx=t5, e5xx=(rng.random(ctx.n) < 0.25 * hot).astype(float), rt=rt)
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=2 - unhealthy, unhealthy=unhealthy)
    metrics += aws.ec2(ctx, WA, cpu=31 * shape + ctx.ar(3), net_in=2.2e7 * shape * (1 + ctx.ar(0.05)),
                       net_out=9.1e7 * shape * (1 + ctx.ar(0.05)))
    metrics += aws.ec2(ctx, WB, cpu=(30 * shape + ctx.ar(3)) * (1 - hot) + hot * (99.2 + ctx.ar(0.6)),
                       net_in=2.2e7 * shape * (1 + ctx.ar(0.05)) * (1 - 0.25 * hot),
                       net_out=9.0e7 * shape * (1 + ctx.ar(0.05)) * (1 - 0.3 * hot))
    metrics += aws.ec2(ctx, ETL, cpu=4 + ctx.ar(1) + 95 * etl_job, net_in=2e6 + 3.1e8 * etl_job,
                       net_out=1e6 + 4e7 * etl_job)
    metrics.append(aws.cwagent_mem(ctx, WA, 58 + ctx.ar(0.8), gaps=0.02))
    metrics.append(aws.cwagent_mem(ctx, WB, 59 + ctx.ar(0.8) + 3 * hot, gaps=0.02))
    metrics.append(aws.cwagent_mem(ctx, ETL, 22 + ctx.ar(0.5) + 51 * etl_job, gaps=0.02))
    metrics += aws.rds(ctx, "www-pg", cpu=21 * shape + ctx.ar(2) + 14 * etl_job, conns=48 + ctx.ar(2),
                       free_gb=88 + ctx.ar(0.03), freemem_gb=6.3 + ctx.ar(0.05),
                       rlat=0.001 + np.abs(ctx.ar(0.0002)) + 0.002 * etl_job, every=1)

    pids = {WA: [30411, 30418, 30425, 30433], WB: [28112, 28120, 28127, 28134]}
    streams = {WA: Stream("/www/rails/production", WA), WB: Stream("/www/rails/production", WB)}
    log_from = -4500.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        n_b, n_to = int(req_b[i]), int(to_b[i])
        for iid, n in ((WA, int(req[i]) - n_b), (WB, n_b)):
            kinds = ["to"] * (n_to if iid == WB else 0)
            kinds += ["ok"] * (n - len(kinds))
            rng.shuffle(kinds)
            for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, n))):
                meth, path, ctrl, act, _ = ROUTES[int(rng.choice(len(ROUTES), p=[r[4] for r in ROUTES]))]
                path = path.format(n=int(rng.integers(1000, 48000)), s=ctx.pick(["summer", "new-in", "sale", "linen"]))
                rid, ip = ctx.uuid(), f"{int(rng.integers(24, 200))}.{int(rng.integers(1, 254))}.{int(rng.integers(1, 254))}.{int(rng.integers(1, 254))}"
                pid = ctx.pick(pids[iid])
                s = streams[iid]
                if kind == "to":
                    s.add(ts + 15.0, ruby_logger(ctx, ts + 15.0, "ERROR", pid,
                                                 f"source=rack-timeout id={rid} timeout=15000ms service=15000ms state=timed_out", rid))
                    s.add(ts + 15.002, ruby_logger(ctx, ts + 15.002, "FATAL", pid, TIMEOUT_BT, rid))
                    s.add(ts + 15.003, ruby_logger(ctx, ts + 15.003, "INFO", pid,
                                                   lograge("GET", f"/products/{int(rng.integers(1000, 48000))}",
                                                           "ProductsController", "show", 500, 15001.2, 14890.4, 31.7, rid, ip)))
                    continue
                base = float(rng.lognormal(np.log(95), 0.45))
                if iid == WB and ts >= ONSET:
                    base *= float(np.clip(lat_b[i] / 0.14, 1, 80)) * float(rng.uniform(0.6, 1.3))
                db = float(rng.lognormal(np.log(9), 0.5))
                status = 302 if meth == "POST" else 200
                s.add(ts + base / 1000, ruby_logger(ctx, ts + base / 1000, "INFO", pid,
                                                    lograge(meth, path, ctrl, act, status, base, max(base - db - 4, 1), db, rid, ip)))
        if rng.random() < 0.1:
            ts = m0 + float(rng.uniform(0, 60))
            iid = ctx.pick([WA, WB])
            rid = ctx.uuid()
            streams[iid].add(ts, ruby_logger(ctx, ts, "FATAL", ctx.pick(pids[iid]),
                                             "ActionController::RoutingError (No route matches [GET] \"/wp-login.php\"):\n  \n"
                                             "actionpack (7.1.3.4) lib/action_dispatch/middleware/debug_exceptions.rb:34:in `call'", rid))

    syslog = {iid: Stream("/www/syslog", iid) for iid in (WA, WB)}
    host = {WA: "ip-10-8-1-21", WB: "ip-10-8-2-37"}

    def sl(iid, ts, msg):
        syslog[iid].add(ts, f"{ctx.at(ts).strftime('%b %d %H:%M:%S').replace(' 0', '  ')} {host[iid]} {msg}")
    for iid in (WA, WB):
        for ts in np.arange(log_from + rng.uniform(0, 300), -60, 600.0):
            sl(iid, float(ts), "chronyd[611]: Selected source 169.254.169.123")
        for ts in np.arange(log_from + rng.uniform(0, 900), -60, 1800.0):
            sl(iid, float(ts), "amazon-ssm-agent[1204]: INFO [MessageGatewayService] Successfully acked message")
        for ts in np.arange(log_from + 120 + rng.uniform(0, 60), -60, 900.0):
            sl(iid, float(ts), f"CROND[{int(rng.integers(20000, 60000))}]: (deploy) CMD (/srv/www/current/bin/health_ping)")
    sl(WB, ONSET - 12, "CROND[41877]: (deploy) CMD (cd /srv/www/current && RAILS_ENV=production bin/rails runner "
                       "'Catalog::RebuildVariantIndex.call' >> log/cron.log 2>&1)")

    etl = Stream("/etl/nightly/jobs", ETL)
    for s0 in (-17600, -10400, -3200):
        etl.add(s0 + 5, f"{ctx.iso(s0 + 5, 3, '')} INFO  export_orders: starting incremental export since {ctx.iso(s0 - 7200, 0, 'Z')}")
        for k in range(1, 11):
            tk = s0 + 5 + 58 * k
            etl.add(tk, f"{ctx.iso(tk, 3, '')} INFO  export_orders: chunk {k}/10 rows={int(rng.integers(38000, 52000))} written to s3://lmr-dw-landing/orders/")
        etl.add(s0 + 600, f"{ctx.iso(s0 + 600, 3, '')} INFO  export_orders: done in {595 + int(rng.integers(0, 20))}s")

    resources = [
        {"type": "ec2", "id": WA, "properties": {"name": WA_N, "instance_type": "c6i.xlarge", "monitoring": "basic",
                                                 "private_ip": "10.8.1.21", "log_groups": ["/www/rails/production", "/www/syslog"]}},
        {"type": "ec2", "id": WB, "properties": {"name": WB_N, "instance_type": "c6i.xlarge", "monitoring": "basic",
                                                 "private_ip": "10.8.2.37",
                                                 "log_groups": ["/www/rails/production", "/www/syslog"]}},
        {"type": "ec2", "id": ETL, "properties": {"name": ETL_N, "instance_type": "m6i.2xlarge", "monitoring": "basic",
                                                  "log_groups": ["/etl/nightly/jobs"]}},
        {"type": "alb", "id": LB, "properties": {"name": "www-prod", "target_groups": [TG],
                                                 "targets": {TG: [WA, WB]}}},
        {"type": "rds", "id": "www-pg", "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                      "max_connections": 500, "allocated_storage_gb": 150}},
    ]
    changes = [
        change(-3330, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "lmr-dw-landing",
               "data-platform-admin"),
        change(-19800, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
               "www-prod-web", "buildkite-deployer"),
    ]
    lat = next(m for m in metrics if m["name"] == "TargetResponseTime")
    etl_cpu = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"]["InstanceId"] == ETL)
    alarms = [
        alarm(lat, "www-prod-p99-latency", "p99", 60, 3, 2.0, "GreaterThanThreshold", rng=rng,
              description="Storefront p99 response time above 2 s"),
        alarm(etl_cpu, "etl-nightly-1-cpu-high", "Average", 300, 1, 90, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-06-rails-host-cpu", "Shop pages intermittently very slow; www-prod-p99-latency paged.",
        REGION, resources, metrics, list(streams.values()) + list(syslog.values()) + [etl], alarms, changes,
        {"alarm": "www-prod-p99-latency",
         "root_cause": {"category": "cpu_saturation", "resource": [WB, WB_N]},
         "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": WB}}]})
    meta = {"alarm_on": "front (ALB p99)",
            "decoys": "etl-nightly-1 CPU at 100 % (its own alarm flips) on a two-hour cadence, once just before "
                      "onset; S3 lifecycle change on the ETL bucket 10 min before; CodeDeploy 5.5 h ago; constant "
                      "RoutingError noise",
            "story": "From -45 min web-rails-b's CPU (EC2 basic monitoring, five-minute points) sits at "
                     "99-100 % while web-rails-a stays near 30 % and request volume is normal. Only "
                     "web-rails-b's lograge lines show multi-second durations spent in the view with low db "
                     "time, plus rack-timeout 15 s timeouts; its syslog shows a cron-started `rails runner` catalog rebuild "
                     "seconds before the CPU climbs. The ALB p99 rises and the target group flaps "
                     "one unhealthy host. etl-nightly-1 hits 100 % CPU every two hours (its job log shows "
                     "the routine export) and is not behind the load balancer; the bucket lifecycle change and "
                     "the morning CodeDeploy (to both hosts) are not followed by anything on web-rails-a."}
    return doc, meta
