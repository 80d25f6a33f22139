"""EC2/ECS behind an ALB: disk full on one target (02), JVM heap exhaustion (03), campaign traffic surge (08),
ECS service CPU pinned (12)."""
from __future__ import annotations

import numpy as np

from .common import (LOG_FROM, MB, N, T, Ctx, after, alarm, alb_metrics, change, ec2_metrics, ecs_metrics, find,
                     log, ramp)

UA = ["MediaApp/5.2 (iOS 18.1)", "MediaApp/5.2 (Android 15)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
      "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 "
      "like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"]


def nginx_access(ctx: Ctx, t: float, ip: str, req: str, status: int, size: int, rt: float, ref: str = "-") -> tuple:
    return t, (f'{ip} - - [{ctx.clf(t)}] "{req} HTTP/1.1" {status} {size} "{ref}" "{ctx.rng.choice(UA)}" '
               f'rt={rt:.3f} uct="0.000" uht="{max(rt - 0.002, 0):.3f}" urt="{max(rt - 0.002, 0):.3f}"')


def nginx_err(ctx: Ctx, t: float, level: str, msg: str) -> tuple:
    return t, f"{ctx.wall(t).strftime('%Y/%m/%d %H:%M:%S')} [{level}] 1187#1187: *{ctx.rng.integers(100000, 999999)} {msg}"


def _ip(ctx):
    return f"10.0.{ctx.rng.integers(0, 4)}.{ctx.rng.integers(10, 250)}"


def s02():
    ctx = Ctx(202, "2026-11-29T08:20:00")
    region = "ap-southeast-2"
    lb, lbname = "app/media-alb/3f9e2c71d4a5b608", "media-alb"
    a, b = ("i-0c4e1f7a9b2d36e51", "media-upload-1"), ("i-05d8a3b7c1e9f2046", "media-upload-2")
    groups = ["/media/nginx/access", "/media/nginx/error", "/media/app"]
    onset, leak = -1800, -14100
    req = ctx.counts(ctx.daily(300, 0.2, phase=-0.8))
    t5 = np.where(after(onset), ctx.counts(req * 0.5 * 0.37), ctx.counts(0.2))
    metrics = alb_metrics(lb, req, ctx.noise(0.21, 0.03) + np.where(after(onset), -0.03, 0), t5, ctx.counts(0.03),
                          np.zeros(N), np.full(N, 2.0))
    disk = np.where(T < leak, ctx.noise(61.2, 0.15), ramp(leak, onset, 61.2, 100.0) + ctx.rng.normal(0, 0.1, N))
    disk = np.where(T >= onset, 100.0, disk)
    for (iid, name), d, spike in ((a, disk, None), (b, ctx.noise(58.4, 0.1), (-3000, -2500))):
        cpu = ctx.noise(22, 4)
        if spike:
            cpu = np.where((T >= spike[0]) & (T < spike[1]), ctx.noise(78, 6), cpu)
        metrics += ec2_metrics(iid, cpu, ctx.noise(req.mean() / 2 * 2.1 * MB, 0.3 * MB), np.zeros(N), ctx.noise(52, 1.2), d)
    logs = []
    for iid, name in (a, b):
        acc, err, app = [], [], []
        full_here = iid == a[0]
        for t in np.arange(LOG_FROM, -60, 60):
            full = full_here and t >= onset
            for _ in range(ctx.rng.poisson(5)):
                ts = t + ctx.rng.uniform(0, 60)
                if ctx.rng.random() < 0.37:
                    st = 500 if full else 201
                    acc.append(nginx_access(ctx, ts, _ip(ctx), "POST /v1/uploads", st, 196 if full else 512,
                                            ctx.rng.uniform(0.3, 2.4) if not full else ctx.rng.uniform(0.05, 0.9)))
                else:
                    acc.append(nginx_access(ctx, ts, _ip(ctx), f"GET /v1/media/{ctx.hex(12)}/thumb", 200,
                                            int(ctx.rng.integers(8000, 90000)), ctx.rng.uniform(0.01, 0.09)))
            if ctx.rng.random() < 0.12:
                err.append(nginx_err(ctx, t + 20, "error", f"client intended to send too large body: "
                                     f"{ctx.rng.integers(209715300, 409715300)} bytes, client: {_ip(ctx)}, server: "
                                     "upload.media.example.com, request: \"POST /v1/uploads HTTP/1.1\", host: "
                                     "\"upload.media.example.com\""))
            if full:
                for _ in range(ctx.rng.poisson(4)):
                    n = ctx.rng.integers(1000000, 9999999)
                    err.append(nginx_err(ctx, t + ctx.rng.uniform(0, 60), "crit", f"pwrite() \"/var/lib/nginx/tmp/"
                                         f"client_body/000{n}\" failed (28: No space left on device), client: "
                                         f"{_ip(ctx)}, server: upload.media.example.com, request: \"POST /v1/uploads "
                                         "HTTP/1.1\", host: \"upload.media.example.com\""))
            if ctx.rng.random() < 0.5:
                job = f"tj_{ctx.hex(8)}"
                ts = t + ctx.rng.uniform(0, 60)
                if full:
                    app.append((ts, f"{ctx.wall(ts).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} ERROR transcode.worker "
                                    f"job {job} failed: OSError: [Errno 28] No space left on device: "
                                    f"'/var/tmp/transcode/{job}/seg_0003.ts'"))
                elif full_here and t >= leak and ctx.rng.random() < 0.55:
                    app.append((ts, f"{ctx.wall(ts).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} WARNING transcode.worker "
                                    f"job {job} failed: ffmpeg exited with status 1 (Invalid data found when "
                                    f"processing input); workdir /var/tmp/transcode/{job} kept for inspection"))
                else:
                    app.append((ts, f"{ctx.wall(ts).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} INFO transcode.worker "
                                    f"job {job} done in {ctx.rng.uniform(20, 70):.1f}s (1080p, 3 renditions)"))
        logs += [log(groups[0], iid, acc), log(groups[1], iid, err), log(groups[2], iid, app)]
    al = alarm(ctx, "media-alb-target-5xx", find(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum", 60, 3,
               10, description="media-alb target 5XX")
    props = lambda n: {"name": n, "instance_type": "c6i.xlarge", "log_groups": groups}
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-02-media-upload-disk-full",
        "description": "Some users get 'Upload failed' in the mobile app; media-alb target 5XX alarm fired.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": lbname, "targets": [a[0], b[0]]}},
                      {"type": "ec2", "id": a[0], "properties": props(a[1])},
                      {"type": "ec2", "id": b[0], "properties": props(b[1])}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-4200, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
                           "AWS::ElasticLoadBalancingV2::TargetGroup", "media-upload-tg", "s.wong")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "storage_exhaustion", "resource": list(a)},
                   "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                  "dimensions": {"InstanceId": a[0], "path": "/", "fstype": "xfs"}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "storage_exhaustion", "resources": list(a),
            "decoys": "CPU spike on media-upload-2 (nightly re-encode) just before onset; target-group attribute "
                      "change 40 min before; 'client intended to send too large body' errors at a constant rate",
            "story": "Since ~4 h ago, transcode jobs on media-upload-1 fail on a corrupt input and leave their work "
                     "directories in /var/tmp/transcode. The root volume fills; at 100 % nginx can no longer buffer "
                     "request bodies (`pwrite() ... failed (28: No space left on device)`) and upload POSTs routed "
                     "to that instance return 500. Health checks still pass, so the ALB keeps sending it traffic."}
    return scenario, meta


def s03():
    ctx = Ctx(303, "2026-11-18T23:40:00")
    region = "us-west-2"
    lb = "app/orders-alb/a04c6e1b2f3d5879"
    a, b = ("i-0f2a6c8e1b3d5a709", "orders-api-1"), ("i-09b7d1f3a5c7e9024", "orders-api-2")
    groups = ["/orders/api/app", "/orders/api/gc"]
    onset = -2400
    req = ctx.counts(ctx.daily(520, 0.1))
    heap = ramp(-21600, onset, 2310, 3990)                      # MB retained after GC on orders-api-2
    mem2 = np.where(T < onset, ramp(-21600, onset, 71, 95.5), 96.8) + ctx.rng.normal(0, 0.3, N)
    t5 = np.where(after(onset), ctx.counts(9), ctx.counts(0.3))
    trt = ctx.noise(0.11, 0.01) + np.where(after(onset), ctx.rng.uniform(0.4, 0.9, N), 0)
    metrics = alb_metrics(lb, req, trt, t5, ctx.counts(0.02), np.zeros(N), np.full(N, 2.0))
    cpu2 = ctx.noise(31, 4) + np.where(after(onset), ctx.rng.uniform(30, 48, N), 0)
    metrics += ec2_metrics(a[0], np.where((T > -6000) & (T < -5700), 66, ctx.noise(29, 4)), ctx.noise(8 * MB, MB),
                           np.zeros(N), ctx.noise(62, 0.6), ctx.noise(44, 0.1))
    metrics += ec2_metrics(b[0], cpu2, ctx.noise(8 * MB, MB), np.zeros(N), mem2, ctx.noise(46, 0.1))
    logs = []
    for iid, name in (a, b):
        app, gc = [], []
        sick = iid == b[0]
        n_gc = 1000
        for t in np.arange(LOG_FROM, -60, 60):
            i = int((t + 21600) // 60)
            ts = lambda s: ctx.wall(s).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"
            for _ in range(3 if not (sick and t >= onset) else 1):
                s = t + ctx.rng.uniform(0, 60)
                n_gc += 1
                after_mb = (heap[i] if sick else 1180) + ctx.rng.normal(0, 25)
                gc.append((s, f"[{ts(s)}][info][gc] GC({n_gc}) Pause Young (Normal) (G1 Evacuation Pause) "
                              f"{after_mb + ctx.rng.uniform(900, 1400) if after_mb < 3700 else 4050:.0f}M->"
                              f"{min(after_mb, 4030):.0f}M(4096M) {ctx.rng.uniform(6, 25):.3f}ms"))
            if sick and t >= onset:
                for _ in range(ctx.rng.poisson(2.5)):
                    s = t + ctx.rng.uniform(0, 60)
                    n_gc += 1
                    gc.append((s, f"[{ts(s)}][info][gc] GC({n_gc}) Pause Full (G1 Compaction Pause) "
                                  f"{ctx.rng.uniform(4060, 4096):.0f}M->{ctx.rng.uniform(3960, 4010):.0f}M(4096M) "
                                  f"{ctx.rng.uniform(1400, 3100):.3f}ms"))
                for _ in range(ctx.rng.poisson(9)):
                    s = t + ctx.rng.uniform(0, 60)
                    app.append((s, f"{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]} ERROR 2211 --- "
                                   f"[nio-8080-exec-{ctx.rng.integers(1, 200)}] o.a.c.c.C.[.[.[/].[dispatcherServlet]"
                                   "    : Servlet.service() for servlet [dispatcherServlet] in context with path [] "
                                   "threw exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap "
                                   "space] with root cause\n\njava.lang.OutOfMemoryError: Java heap space\n"
                                   "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
                                   "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
                                   "\tat com.acme.orders.pricing.QuoteCache.put(QuoteCache.java:88)\n"
                                   "\tat com.acme.orders.api.OrderController.quote(OrderController.java:142)"))
            if ctx.rng.random() < 0.3:
                s = t + ctx.rng.uniform(0, 60)
                app.append((s, f"{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]}  WARN 2211 --- "
                               f"[nio-8080-exec-{ctx.rng.integers(1, 200)}] c.a.orders.api.LegacyController   : "
                               "Deprecated endpoint /v1/orders/legacy called by client partner-acme-edi"))
            if ctx.rng.random() < 0.2:
                s = t + ctx.rng.uniform(0, 60)
                app.append((s, f"{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]}  INFO 2211 --- "
                               "[   scheduling-1] c.a.orders.jobs.Reconciler            : reconciled "
                               f"{ctx.rng.integers(100, 900)} orders"))
        logs += [log(groups[0], iid, app), log(groups[1], iid, gc)]
    al = alarm(ctx, "orders-api-2-memory-high", find(metrics, "mem_used_percent", InstanceId=b[0]), "Average", 300, 3,
               95, description="orders-api-2 memory > 95 %")
    props = lambda n: {"name": n, "instance_type": "m6i.large", "log_groups": groups}
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-03-orders-api-heap-exhausted",
        "description": "Memory alarm on orders-api-2; intermittent 500s on order quotes.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": "orders-alb", "targets": [a[0], b[0]]}},
                      {"type": "ec2", "id": a[0], "properties": props(a[1])},
                      {"type": "ec2", "id": b[0], "properties": props(b[1])}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-3100, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
                           "sg-0b3e6a91d2c4f7085", "netops-automation")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "memory_exhaustion", "resource": list(b)},
                   "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": b[0]}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "memory_exhaustion", "resources": list(b),
            "decoys": "security-group ingress change 12 min before onset; CPU blip on orders-api-1; deprecated-endpoint "
                      "WARN at a constant rate; CPU of orders-api-2 rises too (GC), but is not pinned",
            "story": "An unbounded in-process quote cache on orders-api-2 grows for hours (heap retained after young "
                     "GC climbs from 2.3 GB to 4 GB). Once the 4 GB heap is full the JVM spends its time in Full GC "
                     "(`Pause Full (G1 Compaction Pause) 4090M->3990M`), requests fail with `java.lang.OutOfMemoryError: "
                     "Java heap space`, and instance memory sits at ~97 %. orders-api-1 restarted recently and is fine."}
    return scenario, meta


def s08():
    ctx = Ctx(808, "2026-11-27T23:15:00")
    region = "sa-east-1"
    lb, lbname = "app/promo-alb/8c1d2e3f4a5b6c7d", "promo-alb"
    a, b = ("i-0aa14c7e2d9b3f581", "web-a"), ("i-0bb25d8f3e0c4a692", "web-b")
    groups = ["/promo/nginx/access", "/promo/app"]
    onset = -2100
    base = ctx.daily(880, 0.12, phase=1.2)
    surge = np.where(after(onset), 4300 * np.exp(-(T - onset) / 5200) + 600, 0) * after(onset)
    req = ctx.counts(base + surge)
    load = req / base.mean()
    trt = 0.085 + np.clip(load - 2.2, 0, None) * 0.55 + ctx.rng.normal(0, 0.02, N)
    t5 = ctx.counts(0.4 + np.clip(load - 3, 0, None) * 18)
    e5 = ctx.counts(0.1 + np.clip(load - 3, 0, None) * 8)
    metrics = alb_metrics(lb, req, trt, t5, e5, np.zeros(N), np.full(N, 2.0))
    for iid, _ in (a, b):
        cpu = np.clip(14 + load * 14 + ctx.rng.normal(0, 3, N), 0, 88)
        metrics += ec2_metrics(iid, cpu, req / 2 * 14 * 1024 * ctx.rng.uniform(0.9, 1.1, N), np.zeros(N),
                               46 + np.clip(load, 0, 5) * 3 + ctx.rng.normal(0, 0.6, N), ctx.noise(37.5, 0.1))
    logs = []
    for iid, name in (a, b):
        acc, app = [], []
        for t in np.arange(LOG_FROM, -60, 60):
            i = int((t + 21600) // 60)
            for _ in range(ctx.rng.poisson(4 * load[i])):
                s = t + ctx.rng.uniform(0, 60)
                promo = T[i] >= onset and ctx.rng.random() < 0.7
                rt = max(0.01, trt[i] * ctx.rng.lognormal(0, 0.4))
                st = 200 if not (T[i] >= onset and ctx.rng.random() < t5[i] / max(req[i], 1)) else 502
                path = ("GET /promo/black-friday?utm_source=push&utm_medium=app&utm_campaign=bf26" if promo else
                        ctx.rng.choice(["GET /", "GET /produtos/tenis-corrida", "GET /api/cart", "GET /promo/black-friday"]))
                acc.append(nginx_access(ctx, s, f"177.{ctx.rng.integers(20, 220)}.{ctx.rng.integers(0, 255)}."
                                        f"{ctx.rng.integers(1, 255)}", path, st, int(ctx.rng.integers(3000, 60000)), rt))
            if ctx.rng.random() < 0.1:
                s = t + ctx.rng.uniform(0, 60)
                app.append((s, f"[{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S +0000')}] [{ctx.rng.integers(900, 990)}] "
                               "[WARNING] upstream catalog cache refresh skipped: previous refresh still running"))
            if T[i] >= onset:
                for _ in range(ctx.rng.poisson(min(6, 1.2 * load[i]))):
                    s = t + ctx.rng.uniform(0, 60)
                    app.append((s, f"[{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S +0000')}] [{ctx.rng.integers(900, 990)}] "
                                   f"[WARNING] request queue wait {trt[i] * 1000 * ctx.rng.uniform(0.6, 1.2):.0f} ms "
                                   "(24/24 workers busy)"))
                if load[i] > 3.5 and ctx.rng.random() < 0.3:
                    s = t + ctx.rng.uniform(0, 60)
                    app.append((s, f"[{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S +0000')}] [912] [CRITICAL] WORKER "
                                   f"TIMEOUT (pid:{ctx.rng.integers(20000, 40000)})"))
        logs += [log(groups[0], iid, acc), log(groups[1], iid, app)]
    al = alarm(ctx, "promo-alb-latency", find(metrics, "TargetResponseTime", LoadBalancer=lb), "Average", 60, 3, 1,
               description="promo site target response time > 1 s")
    props = lambda n: {"name": n, "instance_type": "c6i.xlarge", "log_groups": groups}
    accepted = [lb, lbname, a[0], a[1], b[0], b[1]]
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-08-black-friday-push-surge",
        "description": "Black Friday: promo site very slow and some 502s; promo-alb latency alarm fired.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": lbname, "targets": [a[0], b[0]]}},
                      {"type": "ec2", "id": a[0], "properties": props(a[1])},
                      {"type": "ec2", "id": b[0], "properties": props(b[1])}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-9000, "elasticloadbalancing.amazonaws.com", "ModifyListener",
                           "AWS::ElasticLoadBalancingV2::Listener", lbname, "r.alves")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "traffic_surge", "resource": accepted},
                   "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}},
                                 {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                  "dimensions": {"LoadBalancer": lb}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "traffic_surge", "resources": accepted,
            "decoys": "listener rule change on the ALB 2 h earlier; catalog-cache WARNING at a constant rate; CPU "
                      "rises to ~85 % but is not pinned",
            "story": "Marketing sent a Black Friday push notification to the whole app audience. Requests jump from "
                     "~900 to ~5000 a minute (70 % to the campaign URL with utm_source=push). Both web instances' "
                     "gunicorn workers are all busy, requests queue (latency 0.09 s -> 2 s) and a few workers time "
                     "out (502). Nothing failed or changed; the demand itself is the cause."}
    return scenario, meta


def s12():
    ctx = Ctx(1212, "2026-11-20T17:25:00")
    region = "us-east-1"
    lb = "app/api-alb/6e2b9d0c4f1a3857"
    cluster, svc, other = "core", "pricing-svc", "inventory-svc"
    onset = -2040
    req = ctx.counts(ctx.daily(1100, 0.1))
    hot = after(onset)
    trt = np.where(hot, ctx.rng.uniform(3.8, 5.5, N), ctx.noise(0.062, 0.008))
    e5 = np.where(hot, ctx.counts(24), ctx.counts(0.05))
    t5 = np.where(hot, ctx.counts(9), ctx.counts(0.3))
    unh = np.where(hot, ctx.rng.choice([0, 1, 1, 2], N), 0)
    metrics = alb_metrics(lb, req, trt, t5, e5, unh, 4 - unh)
    cpu = np.where(hot, ctx.rng.uniform(97, 100, N), ctx.noise(34, 4))
    running = np.where(hot, 4 - ctx.rng.choice([0, 0, 0, 1], N), 4)
    metrics += ecs_metrics(cluster, svc, cpu, ctx.noise(58, 2), running, np.full(N, 4.0))
    dep = (T >= -2400) & (T < -2040)
    metrics += ecs_metrics(cluster, other, ctx.noise(22, 3) + np.where(dep, 9, 0), ctx.noise(41, 1.5),
                           np.where(dep, 4, 2), np.full(N, 2.0))
    logs = []
    tasks = [ctx.hex(32) for _ in range(4)]
    for k, task in enumerate(tasks):
        ev = []
        for t in np.arange(LOG_FROM, -60, 60):
            ts = lambda s: ctx.wall(s).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            if ctx.rng.random() < 0.15:
                s = t + ctx.rng.uniform(0, 60)
                ev.append((s, f"{ts(s)}  WARN 1 --- [nio-8080-exec-{ctx.rng.integers(1, 200)}] c.a.p.client.TaxClient"
                              "                  : tax-svc responded 429, using cached rate table"))
            if ctx.rng.random() < 0.25:
                s = t + ctx.rng.uniform(0, 60)
                ev.append((s, f"{ts(s)}  INFO 1 --- [   scheduling-1] c.a.p.catalog.PriceBookLoader        : price "
                              f"book refreshed ({ctx.rng.integers(41000, 42000)} SKUs)"))
            if T[int((t + 21600) // 60)] >= onset:
                for _ in range(ctx.rng.poisson(3)):
                    s = t + ctx.rng.uniform(0, 60)
                    ms = ctx.rng.uniform(6000, 58000)
                    ev.append((s, f"{ts(s)}  WARN 1 --- [nio-8080-exec-{ctx.rng.integers(1, 200)}] "
                                  "c.a.p.web.RequestTimer                  : slow request POST /v2/quotes took "
                                  f"{ms:.0f} ms (client=b2b-ferragens, promo_codes={ctx.rng.integers(180, 400)})"))
                if ctx.rng.random() < 0.3:
                    s = t + ctx.rng.uniform(0, 60)
                    ev.append((s, f"{ts(s)}  WARN 1 --- [nio-8080-exec-{ctx.rng.integers(1, 200)}] "
                                  "o.a.tomcat.util.threads.ThreadPoolExecutor : Thread pool [http-nio-8080-exec] "
                                  "busy: 200 of 200 threads, queue 311"))
        logs.append(log(f"/ecs/{svc}", f"ecs/{svc}/{task}", ev))
    al = alarm(ctx, "api-alb-elb-5xx", find(metrics, "HTTPCode_ELB_5XX_Count", LoadBalancer=lb), "Sum", 60, 3, 10,
               description="api-alb load balancer 5XX (502/504)")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-12-pricing-svc-cpu-pinned",
        "description": "Quote API timing out for B2B and web clients; api-alb 5XX alarm fired.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": "api-alb"}},
                      {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
                          "cluster": cluster, "task_definition": f"{svc}:57", "desired_count": 4, "cpu": 1024,
                          "memory": 2048}},
                      {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
                          "cluster": cluster, "task_definition": f"{other}:112", "desired_count": 2, "cpu": 512,
                          "memory": 1024}}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-2420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                           f"{other}:112", "github-actions"),
                    change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
                           "github-actions")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "cpu_saturation", "resource": [f"{cluster}/{svc}", svc]},
                   "anomalies": [{"namespace": "AWS/ECS", "name": "CPUUtilization",
                                  "dimensions": {"ClusterName": cluster, "ServiceName": svc}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "cpu_saturation", "resources": [f"{cluster}/{svc}", svc],
            "decoys": "inventory-svc (other ECS service) deployed 6 min before onset; tax-svc 429 WARN at a constant "
                      "rate (mentions rate limiting)",
            "story": "A B2B customer's new integration started sending quote requests with hundreds of promo codes "
                     "each; pricing-svc's promo validation is super-linear in that input, so every such request burns "
                     "a core for tens of seconds. Service CPU is pinned at 97-100 %, the Tomcat pool fills, health "
                     "checks time out intermittently and the ALB returns 502/504. No change to pricing-svc; the "
                     "inventory-svc deploy just before is unrelated."}
    return scenario, meta
