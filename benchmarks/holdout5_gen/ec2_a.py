"""EC2 fleets behind ALBs: h5-06 (one instance pegged at 100 % CPU) and h5-14 (JVM heap exhaustion on one instance)."""
from __future__ import annotations

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, clf, ec2_metrics, expect, find, hexid, level, log, logts,
                     pois, poisson_times, scenario, wall, window)


def nginx(rng, t, ip, method, path, status, size, rt, ua="Mozilla/5.0"):
    return (f'{ip} - - [{clf(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" urt="{rt:.3f}"')


def syslog(t, host, proc, msg):
    return f"{wall(t):%b %d %H:%M:%S} {host} {proc}: {msg}"


# ------------------------------------------------------------------ h5-06
def ec2_cpu_pegged(rng):
    region = "us-west-2"
    lb = "app/api-public-alb/2c9e41f0b7d3a586"
    fleet = [("i-0c41e7a9b2d35f810", "api-1", "ip-10-30-1-17"), ("i-0f2a6b8c4d1e97a35", "api-2", "ip-10-30-2-41"),
             ("i-08d3c5e7f9a1b2c46", "api-3", "ip-10-30-3-88")]
    bad_id = fleet[1][0]
    onset = -2000
    hot = np.clip((T - onset) / 180, 0, 1)
    req = np.round(level(rng, 2100, 0.05, daily=0.3, phase=-20000))
    metrics = []
    for iid, name, host in fleet:
        cpu = level(rng, 24, 0.1, daily=0.3, phase=-20000)
        if iid == bad_id:
            cpu = cpu * (1 - hot) + hot * np.clip(rng.normal(99.2, 0.8, N), 95, 100)
        if name == "api-1":
            cpu = cpu + window(-12000, -11700) * 55
        metrics += ec2_metrics(iid, cpu, level(rng, 3.1e6, 0.1, daily=0.3, phase=-20000), level(rng, 44, 0.02),
                               level(rng, 37.5, 0.003))
    third = req / 3
    trt = level(rng, 0.088, 0.07) * (1 - hot) + hot * (2 * 0.09 + rng.uniform(2.2, 3.0, N)) / 3
    t5 = pois(rng, 0.5 + hot * third * 0.035)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.05 + hot * 1.5), np.zeros(N), np.full(N, 3.0),
                          rng=rng) + metrics

    logs = []
    for iid, name, host in fleet:
        is_bad = iid == bad_id
        acc, app = [], []
        for t in poisson_times(rng, 24.0, -10800, 0):
            ip = f"10.30.{rng.integers(0, 4)}.{rng.integers(2, 250)}"
            path = ["/v2/quotes", "/v2/rates?from=SEA&to=PDX", "/v2/accounts/me", "/healthz"][rng.integers(0, 4)]
            slow = is_bad and t >= onset
            rt = rng.uniform(1.8, 3.4) if slow else rng.gamma(2, 0.04)
            status = 504 if slow and rng.uniform() < 0.035 else 200
            if status == 504:
                rt = 10.0
            ua = "ELB-HealthChecker/2.0" if path == "/healthz" else "okhttp/4.12.0"
            acc.append((t, nginx(rng, t, ip, "GET", path, status, 0 if status == 504 else rng.integers(120, 4000), rt,
                                 ua)))
        for t in poisson_times(rng, 0.6, -10800, 0):
            app.append((t, f"{logts(t)} WARNING [api.compat] deprecated v1 route /v1/rates called by client "
                           f"app-{rng.integers(100, 999)}; redirecting"))
        if is_bad:
            for t in poisson_times(rng, 1.2, onset + 120, 0):
                app.append((t, f"[{wall(t):%Y-%m-%d %H:%M:%S} +0000] [1123] [CRITICAL] WORKER TIMEOUT "
                               f"(pid:{rng.integers(20000, 40000)})"))
                app.append((t + 0.4, f"[{wall(t):%Y-%m-%d %H:%M:%S} +0000] [{rng.integers(20000, 40000)}] [INFO] "
                                     "Booting worker with pid: " + str(rng.integers(20000, 40000))))
        logs.append(log("/app/api/nginx-access", iid, acc))
        logs.append(log("/app/api/app", iid, app))
        msgs = []
        for t in np.arange(-10800, 0, 3600.0) + 15:
            msgs.append((t, syslog(t, host, "systemd[1]", "Started Hourly geoip database refresh.")))
            msgs.append((t + 2, syslog(t + 2, host, f"geoip-updater[{rng.integers(1000, 9000)}]",
                                       "GeoLite2-City.mmdb is up to date")))
        if name == "api-1":
            msgs.append((-12000, syslog(-12000, host, "systemd[1]", "Starting logrotate.service - Rotate log files...")))
        if is_bad:
            pid = 18734
            msgs.append((onset - 30, syslog(onset - 30, host, f"geoip-updater[{pid}]",
                                            "download https://geo-mirror.internal/GeoLite2-City.tar.gz returned 0 "
                                            "bytes; retrying")))
            for t in np.arange(onset, 0, 1.0):
                msgs.append((t + rng.uniform(0, 0.5), syslog(t, host, f"geoip-updater[{pid}]",
                             f"worker-{rng.integers(1, 3)}: checksum mismatch for GeoLite2-City.mmdb (expected "
                             f"{hexid(rng, 8)}, got e3b0c442); retrying immediately")))
        logs.append(log("/var/log/messages", iid, msgs))
    changes = [change(-8000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
                      "sg-0a7c3e19d2b4f6081", "netops-lee")]
    al = alarm("api-public-alb-latency", find(metrics, "TargetResponseTime"), "Average", 60, 3, 0.5,
               description="API ALB average target response time > 500 ms")
    resources = [{"type": "alb", "id": lb, "properties": {"name": "api-public-alb", "targets": [f[0] for f in fleet]}}]
    for iid, name, host in fleet:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": name, "instance_type": "c6i.large",
            "log_groups": ["/app/api/nginx-access", "/app/api/app", "/var/log/messages"]}})
    scn = scenario("h5-06-ec2-cpu-pegged", "API clients seeing slow responses and some 504s; ALB latency alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "cpu_saturation", [bad_id, "api-2"],
                          [find(metrics, "CPUUtilization", InstanceId=bad_id), find(metrics, "TargetResponseTime")]))
    return {"file": "h5-06-ec2-cpu-pegged.yaml", "scenario": scn,
            "decoys": "api-1 logrotate CPU burst 3.3 h earlier; security-group change 2.2 h earlier; steady "
                      "deprecated-route warnings on all instances",
            "story": "On api-2 the hourly geoip-updater got a 0-byte download from the internal mirror and its two "
                     "worker threads entered a tight retry loop with no back-off. The instance's CPU is pinned at "
                     "~100 %, gunicorn workers on it miss their heartbeat and are killed, and every request "
                     "routed to api-2 takes 2-3 s (a few hit nginx's 10 s upstream timeout → 504). api-1 and "
                     "api-3 are fine, so the ALB average latency rises about tenfold."}


# ------------------------------------------------------------------ h5-14
def ec2_jvm_heap(rng):
    region = "eu-north-1"
    lb = "app/orders-web-alb/7e1b3d5f9a2c4e60"
    fleet = [("i-04a7c2e9b1d3f5a68", "orders-web-1", "ip-10-12-1-33"),
             ("i-0d1e3f5a7c9b2e4d6", "orders-web-2", "ip-10-12-2-71"),
             ("i-0b9d2f4e6a8c1357d", "orders-web-3", "ip-10-12-3-19")]
    bad_id = fleet[2][0]
    full = -1560
    sick = (T >= full).astype(float)
    req = np.round(level(rng, 960, 0.05, daily=0.3, phase=-35000))
    metrics = []
    for iid, name, host in fleet:
        if iid == bad_id:
            mem = 84 + (T + 21600) / (21600 + full) * 13.5
            mem = np.where(T >= full, 97.6, mem) + rng.normal(0, 0.25, N)
            cpu = level(rng, 26, 0.08) + np.clip((T + 5000) / 3400, 0, 1) * 14 + sick * rng.uniform(30, 45, N)
        else:
            mem = 41 + (T + 21600) / 21600 * 4 + rng.normal(0, 0.3, N)
            cpu = level(rng, 26, 0.08) + (window(-9000, -8400) * 40 if name == "orders-web-1" else 0)
        metrics += ec2_metrics(iid, cpu, level(rng, 1.8e6, 0.1), mem, level(rng, 52, 0.003))
    unhealthy = sick.copy()
    t5 = pois(rng, 0.3 + sick * (req / 3) * 0.05)
    e5 = pois(rng, 0.03 + window(full, full + 240) * 12 + sick * 2)
    trt = level(rng, 0.142, 0.07) + np.clip((T + 5000) / 3400, 0, 1) * 0.05 * (1 - sick)
    metrics = alb_metrics(lb, req, trt, t5, e5, unhealthy, 3 - unhealthy, rng=rng) + metrics

    logs = []
    for iid, name, host in fleet:
        is_bad = iid == bad_id
        ev, gc = [], []
        for t in poisson_times(rng, 8.0, -10800, 0):
            ev.append((t, f"{wall(t):%d-%b-%Y %H:%M:%S}.{rng.integers(0, 999):03d} INFO [http-nio-8080-exec-"
                          f"{rng.integers(1, 200)}] c.a.orders.web.OrderController.view order "
                          f"{rng.integers(10**6, 10**7)} rendered in {int(rng.gamma(2, 40))} ms"))
        for t in poisson_times(rng, 0.5, -10800, 0):
            ev.append((t, f"{wall(t):%d-%b-%Y %H:%M:%S}.000 WARNING [http-nio-8080-exec-{rng.integers(1, 200)}] "
                          "c.a.orders.web.ProxyHeaderFilter.doFilter Deprecated header X-Forwarded-Host ignored"))
        for t in np.arange(-10800, 0, 600.0):
            entries = int(3.9e6 + (t + 10800) * 21) if is_bad else int(2.6e5 + (t + 10800) * 19)
            ev.append((t + 3, f"{wall(t):%d-%b-%Y %H:%M:%S}.003 INFO [scheduling-1] c.a.orders.pricing.QuoteCache.stats "
                              f"entries={entries} hitRatio=0.{rng.integers(70, 80)} evictions=0"))
        if is_bad:
            for t in poisson_times(rng, 1.2, -5000, full):
                gc.append((t, f"[{wall(t):%Y-%m-%dT%H:%M:%S.%f}"[:-3] + f"+0000][info][gc] GC({rng.integers(40000, 49000)}) "
                              f"Pause Young (Normal) (G1 Evacuation Pause) {rng.integers(2900, 2990)}M->"
                              f"{rng.integers(2850, 2900)}M(3072M) {rng.uniform(80, 400):.3f}ms"))
            for t in poisson_times(rng, 14, full, 0):
                gc.append((t, f"[{wall(t):%Y-%m-%dT%H:%M:%S.%f}"[:-3] + f"+0000][info][gc] GC({rng.integers(49000, 52000)}) "
                              f"Pause Full (G1 Compaction Pause) 3071M->{rng.integers(3062, 3070)}M(3072M) "
                              f"{rng.uniform(2400, 3900):.3f}ms"))
            for t in poisson_times(rng, 4, full, 0):
                ev.append((t, f"{wall(t):%d-%b-%Y %H:%M:%S}.{rng.integers(0, 999):03d} SEVERE [http-nio-8080-exec-"
                              f"{rng.integers(1, 200)}] org.apache.catalina.core.StandardWrapperValve.invoke "
                              "Servlet.service() for servlet [dispatcher] in context with path [] threw exception\n"
                              "java.lang.OutOfMemoryError: Java heap space\n"
                              "\tat java.base/java.util.HashMap.resize(HashMap.java:710)\n"
                              "\tat java.base/java.util.HashMap.putVal(HashMap.java:635)\n"
                              "\tat com.acme.orders.pricing.QuoteCache.put(QuoteCache.java:58)\n"
                              "\tat com.acme.orders.pricing.PriceService.quote(PriceService.java:121)"))
        logs.append(log("/orders-web/catalina", iid, ev))
        if gc:
            logs.append(log("/orders-web/gc", iid, gc))
        msgs = [(t, syslog(t, host, "systemd[1]", "Finished sysstat-collect.service - system activity accounting "
                                                "tool.")) for t in np.arange(-10800, 0, 600.0) + 7]
        if is_bad:
            msgs.append((full + 90, syslog(full + 90, host, "kernel", "[1641223.501877] TCP: request_sock_TCP: "
                                                                     "Possible SYN flooding on port 8080. Sending cookies.")))
        logs.append(log("/var/log/messages", iid, msgs))
    changes = [change(-9000, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
                      "orders-web-asg", "ops-karlsson")]
    al = alarm("orders-web-unhealthy-hosts", find(metrics, "UnHealthyHostCount"), "Maximum", 60, 3, 1,
               comparison="GreaterThanOrEqualToThreshold", description="orders-web ALB has unhealthy targets")
    resources = [{"type": "alb", "id": lb, "properties": {"name": "orders-web-alb", "targets": [f[0] for f in fleet]}}]
    for iid, name, host in fleet:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": name, "instance_type": "m6i.large", "jvm": "-Xms3g -Xmx3g -XX:+UseG1GC",
            "log_groups": ["/orders-web/catalina", "/orders-web/gc", "/var/log/messages"]}})
    scn = scenario("h5-14-ec2-jvm-heap-exhausted", "orders-web target unhealthy; some order pages erroring.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "memory_exhaustion", [bad_id, "orders-web-3"],
                          [find(metrics, "mem_used_percent", InstanceId=bad_id), find(metrics, "UnHealthyHostCount")]))
    return {"file": "h5-14-ec2-jvm-heap-exhausted.yaml", "scenario": scn,
            "decoys": "ASG max-size change 2.1 h earlier; orders-web-1 CPU burst; steady proxy-header warnings; "
                      "orders-web-3 CPU rises (GC) as a symptom",
            "story": "QuoteCache in orders-web has no eviction. orders-web-1 and -2 were replaced a few days ago, "
                     "but orders-web-3 has been up for weeks and its cache reached ~4 M entries: host memory "
                     "creeps to 97 %, the 3 GiB heap is full, G1 runs back-to-back full GCs of 3-4 s, requests "
                     "throw java.lang.OutOfMemoryError: Java heap space and health checks time out, so the ALB "
                     "marks the target unhealthy."}
