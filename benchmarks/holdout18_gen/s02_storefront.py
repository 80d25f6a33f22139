"""h18-02: storefront ALB -> catalog service (ECS) -> Redis on a one-vCPU EC2 host pinned by a cron job."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import TaskLog, poisson_times, syslog
from . import svc

REDIS_ID, REDIS_IP = "i-0c4d1e8a92b7f3a65", "10.30.14.37"
ETL_ID = "i-02b7e95c1d3a4f810"
LB = "app/storefront-alb/7f3a9c21d04be611"


def build():
    s = Scn("h18-02-storefront-cache-host-cpu", 1802, "us-east-1", "2026-03-11T19:36:00", -4.0)
    s.res("alb", LB, name="storefront-alb", scheme="internet-facing",
          target_groups=["catalog-svc-tg", "search-svc-tg", "cart-svc-tg"])
    s.res("ecs", "shop/catalog-svc", desired_count=3, launch_type="FARGATE", awslogs_groups=["/ecs/catalog-svc"],
          environment={"REDIS_URL": "redis://catalog-redis-1.shop.internal:6379/0", "REDIS_SOCKET_TIMEOUT": "0.8"})
    s.res("ecs", "shop/search-svc", desired_count=3, launch_type="FARGATE", awslogs_groups=["/ecs/search-svc"])
    s.res("ec2", REDIS_ID, name="catalog-redis-1", instance_type="r6g.medium", private_ip=REDIS_IP,
          role="redis 7.2 cache for catalog-svc",
          log_groups=["/ec2/catalog-redis-1/syslog", "/ec2/catalog-redis-1/redis"])
    s.res("ec2", ETL_ID, name="reporting-etl-1", instance_type="m6i.large", private_ip="10.30.22.9")

    onset = -2100.0
    cron_t = onset - 55
    shape = s.diurnal(peak=20.5, depth=0.65)
    hot = s.ramp(onset - 20, onset + 100)                     # redis starved of CPU
    req = s.pois(2500 * shape * (1 + s.ar(0.04)))
    cat_req = req * 0.46
    cat_err = s.pois(cat_req * 0.075 * hot)
    t5 = cat_err + s.pois(np.full(N, 0.3))
    trt = s.gauge(0.082 + 0.015 * shape, 0.006, lo=0.04) + hot * s.gauge(np.full(N, 0.62), 0.06, lo=0.3)
    svc.alb(s, LB, req, trt, t5=t5, healthy=np.full(N, 9.0))

    svc.ecs(s, "shop", "catalog-svc", s.gauge(30 * shape + 6, 2.5, lo=3) - 11 * hot, s.gauge(np.full(N, 47.0), 0.8))
    dep = onset - 300                                           # unrelated rolling deploy of search-svc
    dep_bump = s.win(dep, dep + 420, rise=60, fall=120)
    svc.ecs(s, "shop", "search-svc", s.gauge(24 * shape + 8, 2.0, lo=3) + 18 * dep_bump,
            s.gauge(np.full(N, 58.0), 0.9) - 6 * s.win(dep + 300, 0, rise=240), running=3 + np.round(3 * dep_bump))

    red_cpu = s.gauge(16 + 10 * shape, 2.0, lo=4) * (1 - hot) + hot * s.gauge(np.full(N, 99.2), 0.5, lo=96, hi=100)
    net = s.gauge(4.2e7 * shape, 1.5e6, lo=1e6) * (1 - 0.28 * hot)
    disk = s.gauge(np.full(N, 41.0), 0.05) + 9.5 * s.ramp(onset, 0)
    svc.ec2(s, REDIS_ID, red_cpu, net, net * 3.1, mem=s.gauge(np.full(N, 68.4), 0.2), disk=disk)
    etl = s.win(-9000, -7740, rise=120, fall=180)
    svc.ec2(s, ETL_ID, s.gauge(np.full(N, 7.0), 1.5, lo=1) + 88 * etl, s.gauge(np.full(N, 2.1e6), 2e5, lo=1e4)
            + 3.3e8 * etl, mem=s.gauge(np.full(N, 33.0), 0.5) + 30 * etl, disk=s.gauge(np.full(N, 62.0), 0.05))

    # ---- catalog-svc logs ------------------------------------------------------------
    tl = TaskLog(s, "/ecs/catalog-svc", "catalog-svc", "catalog-svc", 3)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in tl.live(t):
            tt = t + float(s.rng.uniform(0, 5))
            p95 = 9 + 4 * shape[i] + 780 * hot[i] * float(s.rng.uniform(0.8, 1.2))
            tl.add(tt, json.dumps({"timestamp": s.iso(tt), "level": "info", "logger": "catalog.metrics",
                                   "event": "cache stats", "hits": int(cat_req[i] / 3 * 0.93),
                                   "misses": int(cat_req[i] / 3 * 0.07), "redis_p95_ms": round(p95, 1),
                                   "workers_busy": int(2 + 10 * hot[i] + s.rng.integers(0, 3))}), task)
    for t in poisson_times(s, 0.35):
        tl.add(t, json.dumps({"timestamp": s.iso(t), "level": "warning", "logger": "catalog.images",
                              "event": "product image missing", "sku": f"SKU-{int(s.rng.integers(10000, 99999))}",
                              "fallback": "placeholder.webp"}))
    tb = ("Traceback (most recent call last):\n"
          '  File "/app/catalog/cache.py", line 88, in get_product\n'
          "    raw = self._redis.get(key)\n"
          '  File "/usr/local/lib/python3.11/site-packages/redis/commands/core.py", line 1829, in get\n'
          '    return self.execute_command("GET", name)\n'
          '  File "/usr/local/lib/python3.11/site-packages/redis/connection.py", line 512, in read_response\n'
          "    raise TimeoutError(f\"Timeout reading from {self.host}:{self.port}\")\n"
          "redis.exceptions.TimeoutError: Timeout reading from catalog-redis-1.shop.internal:6379")
    for i in np.nonzero(T >= onset - 60)[0]:
        for _ in range(int(s.rng.poisson(cat_req[i] * 0.02 * hot[i]))):
            t = T[i] + float(s.rng.uniform(0, 60))
            tl.add(t, json.dumps({"timestamp": s.iso(t), "level": "warning", "logger": "catalog.cache",
                                  "event": "redis command timed out, retrying", "command": "GET",
                                  "host": "catalog-redis-1.shop.internal:6379", "timeout_s": 0.8}))
        for _ in range(int(cat_err[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            tl.add(t, json.dumps({"timestamp": s.iso(t), "level": "error", "logger": "catalog.api",
                                  "event": "request failed", "path": f"/api/products/{int(s.rng.integers(1e5, 9e5))}",
                                  "status": 503, "duration_ms": int(s.rng.integers(1620, 1790)),
                                  "exception": tb}))
    tl.flush()

    sl = TaskLog(s, "/ecs/search-svc", "search-svc", "search-svc", 3)
    old = list(sl.tasks)
    for k, task in enumerate(old):
        new = sl.start_task(dep + 20 + 70 * k)
        for j, msg in enumerate(["Starting gunicorn 21.2.0", "Listening at: http://0.0.0.0:8000 (1)",
                                 "Using worker: uvicorn.workers.UvicornWorker",
                                 "search-svc 4.12.1 (git 3be91c2) ready, index=products_v41"]):
            sl.add(new[1] + 2 + j * 0.4, f"[{s.clock(new[1] + 2 + j * 0.4)} +0000] [1] [INFO] {msg}", new)
        sl.add(dep + 150 + 70 * k, f"[{s.clock(dep + 150 + 70 * k)} +0000] [1] [INFO] Handling signal: term", task)
        sl.stop_task(task, dep + 152 + 70 * k)
    for t in np.arange(-21600, 0, 120.0):
        for task in sl.live(t):
            tt = t + float(s.rng.uniform(0, 30))
            sl.add(tt, f"[{s.clock(tt)} +0000] [7] [INFO] search stats qps={s.rng.uniform(9, 16):.1f} "
                       f"p95_ms={int(s.rng.integers(30, 60))} index=products_v41", task)
    sl.flush()

    # ---- cache host logs -------------------------------------------------------------
    host = "ip-10-30-14-37"
    sys_ev = []
    for t in np.arange(-21600 + 37, 0, 300.0):
        sys_ev.append((t, syslog(s, t, host, "CRON", "(root) CMD (/usr/local/bin/node_exporter_textfile.sh)",
                                 int(s.rng.integers(10000, 30000)))))
    for t in np.arange(-21600 + 1200, 0, 3600.0):
        sys_ev.append((t, syslog(s, t, host, "CRON", "(root) CMD (run-parts /etc/cron.hourly)",
                                 int(s.rng.integers(10000, 30000)))))
    sys_ev += [
        (cron_t, syslog(s, cron_t, host, "CRON", "(redis) CMD (/opt/cache/bin/snapshot-upload.sh >> "
                                                 "/var/log/snapshot-upload.log 2>&1)", 23114)),
        (cron_t + 1.2, syslog(s, cron_t + 1.2, host, "snapshot-upload.sh",
                              "copying /var/lib/redis/dump.rdb (6.4 GiB) to /var/backups/redis/", 23118)),
        (cron_t + 48, syslog(s, cron_t + 48, host, "snapshot-upload.sh",
                             "compressing /var/backups/redis/dump-20260311.rdb with xz -9 -T0", 23118)),
    ]
    for k, t in enumerate(np.arange(cron_t + 600, 0, 600.0)):
        sys_ev.append((t, syslog(s, t, host, "snapshot-upload.sh",
                                 f"xz progress {12 + 14 * k}% (elapsed {int((t - cron_t) // 60)} min)", 23118)))
    sys_ev.append((onset + 700, syslog(s, onset + 700, host, "kernel",
                                       "[5123411.208871] sched: RT throttling activated")))
    s.stream("/ec2/catalog-redis-1/syslog", REDIS_ID, sys_ev)

    red = []
    pid = 1042
    for t in np.arange(-21600 + 130, 0, 900.0):
        child = int(s.rng.integers(20000, 30000))
        slow = t >= onset
        red.append((t, f"{pid}:M {s.clock(t, '%d %b %Y %H:%M:%S')}.{int(s.rng.integers(100, 999))} * "
                       f"{int(s.rng.integers(100, 4000))} changes in 900 seconds. Saving..."))
        red.append((t + 0.01, f"{pid}:M {s.clock(t, '%d %b %Y %H:%M:%S')}.{int(s.rng.integers(100, 999))} * "
                              f"Background saving started by pid {child}"))
        took = float(s.rng.uniform(38, 55)) * (4.5 if slow else 1)
        if t + took < 0:
            te = t + took
            red.append((te, f"{child}:C {s.clock(te, '%d %b %Y %H:%M:%S')}.{int(s.rng.integers(100, 999))} * "
                            "DB saved on disk"))
            red.append((te + 0.1, f"{child}:C {s.clock(te, '%d %b %Y %H:%M:%S')}.{int(s.rng.integers(100, 999))} * "
                                  f"Fork CoW for RDB: current {int(s.rng.integers(30, 90))} MB, peak "
                                  f"{int(s.rng.integers(90, 160))} MB, average {int(s.rng.integers(20, 60))} MB"))
            red.append((te + 0.3, f"{pid}:M {s.clock(te, '%d %b %Y %H:%M:%S')}.{int(s.rng.integers(100, 999))} * "
                                  "Background saving terminated with success"))
    s.stream("/ec2/catalog-redis-1/redis", REDIS_ID, red)

    # ---- changes and alarms ----------------------------------------------------------
    s.change(dep - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "search-svc:87", "github-actions-deploy")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/search-svc",
             "github-actions-deploy")
    s.change(-15240, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ETL_ID, "j.alvarez")
    s.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average",
            60, 3, 0.5, desc="Storefront p-avg latency above 500 ms", after=onset, before=onset + 600)
    s.alarm("storefront-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum",
            60, 3, 40, desc="Storefront target 5xx", after=onset)
    s.alarm("reporting-etl-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ETL_ID}, "Average", 300, 3, 90,
            want="OK")
    s.alarm("catalog-redis-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": REDIS_ID}, "Maximum",
            60, 2, 0, want="OK")
    doc = s.doc("Storefront pages loading slowly and some product pages fail; ALB latency alarm fired.",
                "storefront-alb-latency", "cpu_saturation", [REDIS_ID, "catalog-redis-1"],
                [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": REDIS_ID}}])
    meta = {"alarm_on": "front (public ALB; origin is the cache host behind catalog-svc)",
            "decoys": "search-svc rolling deploy 5 min before onset; reporting-etl-1 CPU spike 2 h earlier "
                      "(alarm went back to OK); constant 'product image missing' warnings",
            "story": (
                "At 18:59 UTC a cron job on the one-vCPU cache host catalog-redis-1 starts compressing a 6.4 GiB "
                "Redis snapshot with `xz -9`. The instance's CPU goes from ~25 % to 99-100 % a minute later; Redis "
                "(single-threaded) answers slowly, catalog-svc's 0.8 s socket timeouts fire "
                "(`redis.exceptions.TimeoutError: Timeout reading from catalog-redis-1.shop.internal:6379`), requests "
                "retry, latency and 503s rise at storefront-alb. Deciding evidence: the cache host's CPU pins before "
                "any app symptom, the syslog cron/xz lines, catalog-svc's own CPU falls (waiting, not computing); the "
                "search-svc deploy is on a different target group with clean logs.")}
    return doc, meta
