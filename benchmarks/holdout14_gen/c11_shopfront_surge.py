"""h14-11: a push-notification campaign sends six times the usual traffic to shopfront-alb;
the web tier's worker pools queue, response times pass 1.5 s and some requests time out."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, stream
from .logfmt import LambdaLog, nginx, py

META = {
    "file": "h14-11-shopfront-push-surge.yaml", "region": "ap-southeast-1", "alarm": "shopfront-alb-latency",
    "category": "traffic_surge", "resources": ["app/shopfront-alb/2b9e41c7d05f8a36", "shopfront-alb"],
    "position": "origin (the ALB front door receiving the surge)",
    "decoys": "invoice-mailer Lambda code deploy 2 min before onset; ASG instance refresh of shopfront-web-3 3 h "
              "earlier; constant 404 scanner noise; DB connections rise with load but stay far below the limit",
    "story": "At 19:40 local time RequestCount on shopfront-alb jumps from ~420 to ~2,600 a minute within two "
             "minutes and stays there; the slow-or-error nginx logs are dominated by /promo/1111-megasale requests "
             "from the mobile app with utm_source=push. The three web instances' gunicorn pools (5 workers each) "
             "are all busy with a growing backlog, TargetResponseTime goes from ~0.15 s to 2-3 s and a few percent "
             "of requests end in 504. CPU rises only to ~40 %, memory and disk are flat, all targets stay healthy, "
             "the database is busier but nowhere near its limits, and no change touched the web tier; the "
             "invoice-mailer deploy is an unrelated function.",
}

REGION = "ap-southeast-1"
ALB = "app/shopfront-alb/2b9e41c7d05f8a36"
WEB = [("i-0a3c5e7f9b1d2c4e6", "shopfront-web-1"), ("i-0b4d6f8a1c3e5a7b9", "shopfront-web-2"),
       ("i-0d2f4a6c8e1b3d5f7", "shopfront-web-3")]
OLD_WEB3 = "i-07e9a1c3b5d7f9e21"
ONSET = -1500.0
MAILER_DEPLOY = -1620.0
LOG_START = -7200.0
APP_UAS = ["ShopfrontApp/7.3.0 (iPhone; iOS 17.4; Scale/3.00)", "ShopfrontApp/7.3.0 (Android 14; SM-S918B) okhttp/4.12.0",
           "ShopfrontApp/7.2.4 (Android 13; CPH2451) okhttp/4.12.0"]
WEB_UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1"]


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 25, 12, 5, tzinfo=dt.timezone.utc), 8.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=21.0, amp=0.3)
    base = 330 * shape
    surge = np.clip((T - ONSET) / 120.0, 0, 1) * (2200 - 250 * np.clip((T - ONSET) / 1500.0, 0, 1))
    promo_share = np.where(T >= ONSET, surge / (surge + base), 0.0)
    req = ctx.poisson(base + surge)
    over = np.clip((req - 1900) / 700.0, 0, None)  # beyond what 15 workers serve at ~0.45 s each
    rt = np.where(T >= ONSET + 60, 1.7 + 1.6 * over + ctx.ar1(0.18), ctx.gauge(0.15, 0.08, lo=0.06))
    rt = np.clip(rt, 0.05, None)
    frac504 = np.where(T >= ONSET + 60, np.clip(0.02 + 0.04 * over, 0, 0.12), 0.0)
    t5 = ctx.rng.binomial(req.astype(int), frac504).astype(float) + ctx.poisson(0.15)
    scanners = ctx.poisson(0.9)
    t4 = ctx.poisson(0.012 * req) + scanners

    ev = {iid: [] for iid, _ in WEB}
    app = {iid: [] for iid, _ in WEB}
    for i in range(N):
        t0 = float(T[i])
        if t0 < LOG_START:
            continue
        # nginx logs only requests with status >= 500 or request_time >= 5 s
        slow_p = float(np.clip((rt[i] - 1.2) / 14.0, 0.0003, 0.3))
        n_slow = int(rng.binomial(int(req[i]), slow_p))
        for _ in range(int(t5[i])):
            iid = WEB[ctx.randint(0, 2)][0]
            rel = t0 + ctx.uni(0, 59.9)
            promo = rng.random() < max(promo_share[i], 0.05)
            path = "/promo/1111-megasale?utm_source=push&utm_medium=app&utm_campaign=mega-1111" if promo else ctx.pick(["/", "/c/electronics", "/cart", "/p/" + str(ctx.randint(100000, 999999))])
            ev[iid].append((rel, nginx(ctx, rel, ctx.public_ip(), "GET", path, 504, 167, ctx.pick(APP_UAS if promo else WEB_UAS), 10.0, 10.0)))
        for _ in range(n_slow):
            iid = WEB[ctx.randint(0, 2)][0]
            rel = t0 + ctx.uni(0, 59.9)
            promo = rng.random() < promo_share[i]
            path = ("/promo/1111-megasale?utm_source=push&utm_medium=app&utm_campaign=mega-1111" if promo else
                    ctx.pick(["/", "/c/electronics", "/c/beauty", "/cart", "/api/v2/recommendations", "/p/" + str(ctx.randint(100000, 999999))]))
            r = ctx.uni(5.0, 9.8)
            ev[iid].append((rel, nginx(ctx, rel, ctx.public_ip(), "GET", path, 200, ctx.randint(18000, 96000),
                                       ctx.pick(APP_UAS if promo else WEB_UAS), r, r - 0.001)))
        for _ in range(int(scanners[i])):
            iid = WEB[ctx.randint(0, 2)][0]
            rel = t0 + ctx.uni(0, 59.9)
            ev[iid].append((rel, nginx(ctx, rel, ctx.public_ip(), ctx.pick(["GET", "GET", "POST"]),
                                       ctx.pick(["/wp-login.php", "/.env", "/xmlrpc.php", "/admin/config.php", "/.git/HEAD", "/phpmyadmin/"]),
                                       404, 153, "Mozilla/5.0 (compatible; scan/1.0)", 0.002, 0.002)))
        # per-minute gunicorn/app stats on each instance
        for iid, _ in WEB:
            rel = t0 + ctx.uni(0, 2)
            per = req[i] / 3.0
            busy = 5 if T[i] >= ONSET + 60 else min(5, max(0, int(round(per * 0.45 / 60 + rng.normal(0, 0.6)))))
            backlog = int(max(0, (per - 620) / 12 + rng.normal(0, 4))) if T[i] >= ONSET + 60 else 0
            app[iid].append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} INFO shopfront.metrics: "
                                  f"rpm={int(per)} p50={rt[i] * 0.55:.2f} p95={rt[i] * 2.3:.2f} busy_workers={busy}/5 backlog={backlog}"))
            if T[i] >= ONSET + 60 and rng.random() < 0.3:
                app[iid].append((rel + 0.5, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} WARNING "
                                            f"gunicorn.error: all 5 workers busy; {backlog} connections waiting in backlog"))
    logs = []
    for iid, _ in WEB:
        logs.append(stream("/shopfront/nginx/slow-or-error", iid, ev[iid]))
        logs.append(stream("/shopfront/app", iid, app[iid]))

    # invoice-mailer Lambda: unrelated deploy just before the surge
    ml = LambdaLog(ctx, "invoice-mailer", "python3.12", 256, envs=1, start=LOG_START)
    m_inv = ctx.poisson(3 * shape)
    done = False
    for i in range(N):
        if T[i] >= MAILER_DEPLOY and not done:
            ml.redeploy(MAILER_DEPLOY + 6)
            done = True
        for _ in range(int(m_inv[i])):
            rel = float(T[i]) + ctx.uni(0, 59)
            if rel >= LOG_START:
                rid = ctx.uuid()
                d = ctx.uni(220, 480)
                ml.invoke(rel, [(d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid, f"Invoice SO-{ctx.randint(1000000, 9999999)} emailed"))],
                          d, ctx.randint(70, 84), rid=rid)
    logs += ml.logs()

    lb = {"LoadBalancer": ALB}
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", t5),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, "Count", t4),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ctx.poisson(np.where(T >= ONSET + 60, 1.5, 0.02))),
        metric("AWS/ApplicationELB", "ActiveConnectionCount", lb, "Count", np.round((base + surge) * 1.6 + ctx.ar1(20))),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", np.full(N, 3.0)),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", np.zeros(N)),
    ]
    load = (base + surge) / 3.0
    for k, (iid, name) in enumerate(WEB):
        d = {"InstanceId": iid}
        cpu = 9 + load * 0.038 + ctx.ar1(1.5)
        cpu = np.clip(np.where(T >= ONSET + 60, np.minimum(cpu, 58 + ctx.ar1(2.0)), cpu), 2, 100)
        vals = cpu if k != 2 else np.where(T >= -10740, cpu, np.nan)
        metrics += [
            metric("AWS/EC2", "CPUUtilization", d, "Percent", vals),
            metric("AWS/EC2", "NetworkOut", d, "Bytes", np.where(np.isnan(vals), np.nan, load * 61000 * (1 + ctx.ar1(0.05))), decimals=0),
            metric("CWAgent", "mem_used_percent", d, "Percent", np.where(np.isnan(vals), np.nan, ctx.gauge(47, 0.01) + 4 * np.clip((T - ONSET) / 300, 0, 1))),
            metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                   np.where(np.isnan(vals), np.nan, ctx.gauge(33, 0.002, jitter=0.001))),
        ]
    metrics.append(metric("AWS/EC2", "CPUUtilization", {"InstanceId": OLD_WEB3}, "Percent",
                          np.where(T < -10740, 9 + load * 0.038 + ctx.ar1(1.5), np.nan)))
    db = {"DBInstanceIdentifier": "shopfront-db"}
    metrics += [
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(55 + 0.018 * (base + surge) * 3 + ctx.ar1(3))),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", 14 + 0.011 * (base + surge) + ctx.ar1(1.5)),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0007, 0.1, lo=0.0003) + 0.0000002 * surge, decimals=5),
        metric("AWS/Lambda", "Invocations", {"FunctionName": "invoice-mailer"}, "Count", m_inv),
        metric("AWS/Lambda", "Errors", {"FunctionName": "invoice-mailer"}, "Count", np.zeros(N)),
    ]
    alarms = [
        alarm(ctx, "shopfront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, rt, "Average", 60, 3, 1.5,
              description="Shopfront response time above 1.5 s"),
        ok_alarm("shopfront-db-connections", "AWS/RDS", "DatabaseConnections", db, "Maximum", 60, 3, 800.0),
        ok_alarm("shopfront-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", lb, "Maximum", 60, 2, 0.0),
    ]
    changes = [
        change(-10860, "autoscaling.amazonaws.com", "RunInstances", "AWS::EC2::Instance", WEB[2][0], "AutoScaling"),
        change(-10740, "autoscaling.amazonaws.com", "TerminateInstances", "AWS::EC2::Instance", OLD_WEB3, "AutoScaling"),
        change(MAILER_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-mailer", "jenkins"),
    ]
    resources = [{"type": "alb", "id": ALB, "properties": {"name": "shopfront-alb", "scheme": "internet-facing",
                                                           "target_groups": ["shopfront-web-tg"]}}]
    for iid, name in WEB:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": name, "instance_type": "c6i.large", "autoscaling_group": "shopfront-web-asg",
            "log_groups": ["/shopfront/nginx/slow-or-error", "/shopfront/app"], "gunicorn_workers": 5,
            "nginx_access_log_filter": "status >= 500 or request_time >= 5s"}})
    resources += [
        {"type": "rds", "id": "shopfront-db", "properties": {"engine": "mysql", "instance_class": "db.r6g.xlarge",
                                                              "max_connections": 1000, "allocated_storage_gb": 500}},
        {"type": "lambda", "id": "invoice-mailer", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
    ]
    return scenario("h14-11-shopfront-push-surge",
                    "Shop is very slow this evening, some pages time out; ALB latency alarm fired.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": lb}]})
