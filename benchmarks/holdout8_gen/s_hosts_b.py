"""Partial outages behind an ALB: one target CPU-pinned; a dependency instance that died."""
from __future__ import annotations

import json
import urllib.parse

import numpy as np

from .common import N, T, Scenario, after, counts, noisy, sigmoid, spikes, wall, wave
from .stacks import alb, ec2, ecs

# =========================================================================== h8-04 one target CPU pinned


def tomcat(t: float, level: str, thread: str, cls: str, msg: str) -> str:
    w = wall(t)
    return f"{w.strftime('%d-%b-%Y %H:%M:%S')}.{w.microsecond // 1000:03d} {level} [{thread}] {cls} {msg}"


def access(t: float, ip: str, path: str, status: int, size: int, ms: int) -> str:
    return f'{ip} - - [{wall(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET {path} HTTP/1.1" {status} {size} {ms}'


def one_target_cpu(seed: int) -> Scenario:
    sc = Scenario("h8-04-catalog-web-one-node-pinned", "eu-central-1",
                  "catalog-web latency alarm; about a third of product searches are very slow or time out.", seed)
    r = sc.rng
    lb = "app/catalog-web/9a8b7c6d5e4f3a2b"
    nodes = [("i-0a11c3e5f7a9b1d2e", "catalog-web-1"), ("i-0b22d4f6a8c0e2f4a", "catalog-web-2"),
             ("i-0c33e5a7c9e1a3c5b", "catalog-web-3")]
    groups = ["/catalog-web/catalina", "/catalog-web/access"]
    for iid, name in nodes:
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", log_groups=groups)
    sc.resource("alb", lb, name="catalog-web", targets=[n[0] for n in nodes])
    onset = -2100
    hot = sigmoid(onset, 100)
    req = counts(r, 720 * wave(r, 10800, 0.1))
    flap = ((r.g.uniform(0, 1, N) < 0.3) & (T >= onset)).astype(float)
    for k, (iid, name) in enumerate(nodes):
        extra = 0
        if k == 0:
            extra = spikes(r, 1, 48, width=8, lo_t=-7300, hi_t=-7200)
        cpu = noisy(r, 31 * wave(r, 10800, 0.1) + extra, 0.08, 0, 100)
        if k == 1:
            cpu = np.where(hot > 0.5, np.clip(98.6 + r.g.normal(0, 0.9, N), 95, 100), cpu)
        ec2(sc, iid, cpu=np.round(cpu, 3), mem=noisy(r, 63 + (4 * hot if k == 1 else 0), 0.015),
            disk=noisy(r, 34.0 + k, 0.002), net_in=noisy(r, 4.2e6 * (0.75 if k == 1 else 1) ** hot, 0.18))
    slow_share = hot / 3.0
    rt = noisy(r, 0.092 * (1 - slow_share) + 4.6 * slow_share, 0.09)
    e5 = counts(r, 0.02 + req * slow_share * 0.03)
    alb(sc, lb, requests=req, rt=rt, t5xx=counts(r, 0.3), e5xx=e5, healthy=3 - flap, unhealthy=flap,
        t4xx=counts(r, 9.0))
    terms = ["laufschuhe", "winterjacke herren", "kaffeemaschine", "lego technic", "usb-c kabel", "rucksack"]
    bad_q = "((a+)+)+$ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
    for k, (iid, name) in enumerate(nodes):
        cat, acc = [], []
        cat.append((-12350 + k * 40, tomcat(-12350 + k * 40, "INFO", "main", "org.apache.catalina.startup.Catalina.start",
                                             f"Server startup in [{r.i(14000, 19000)}] milliseconds")))
        for t in np.arange(-10800 + r.u(0, 4), 0, 4.0):
            i = int((t + 21600) // 60)
            h = k == 1 and hot[i] > 0.5
            if h and r.u() < 0.04:
                ms = r.i(60000, 61000)
                acc.append((t, access(t, r.ip("10.30"), "/search?q=" + urllib.parse.quote(bad_q), 504, 0, ms)))
                continue
            ms = r.i(2500, 9000) if h else r.i(25, 180)
            q = urllib.parse.quote(r.choice(terms))
            acc.append((t, access(t, r.ip("10.30"), f"/search?q={q}&page={r.i(1, 4)}", 200, r.i(18000, 64000), ms)))
        for t in np.arange(-21600 + r.u(0, 60), 0, 60.0):
            cat.append((t, tomcat(t, "INFO", f"http-nio-8080-exec-{r.i(1, 200)}",
                                  "de.shopwelt.catalog.search.SearchService.search",
                                  f"index=products-v41 hits={r.i(0, 4000)} took={r.i(4, 40)}ms")))
            if r.u() < 0.12:
                cat.append((t + 5, tomcat(t + 5, "WARNING", f"http-nio-8080-exec-{r.i(1, 200)}",
                                          "de.shopwelt.catalog.geo.GeoIpResolver.resolve",
                                          f"No GeoIP entry for {r.ip('100.64')}, falling back to DE")))
        if k == 0:
            cat.append((-7280, tomcat(-7280, "INFO", "scheduling-1", "de.shopwelt.catalog.sitemap.SitemapJob.run",
                                      "Regenerating sitemap: 412,880 product URLs")))
            cat.append((-6810, tomcat(-6810, "INFO", "scheduling-1", "de.shopwelt.catalog.sitemap.SitemapJob.run",
                                      "Sitemap written to s3://shopwelt-static/sitemaps/ in 470 s")))
        if k == 1:
            stuck = 0
            for t in np.arange(onset + 75, 0, r.u(25, 45)):
                stuck = min(200, stuck + r.i(1, 4))
                thread = f"http-nio-8080-exec-{r.i(1, 200)}"
                act = r.i(60100, 190000)
                url = "https://www.shopwelt.de/search?q=" + urllib.parse.quote(bad_q)
                cat.append((t, tomcat(
                    t, "WARNING", "Catalina-utility-2",
                    "org.apache.catalina.valves.StuckThreadDetectionValve.notifyStuckThreadDetected",
                    f"Thread [{thread}] (id=[{r.i(60, 260)}]) has been active for [{act:,}] milliseconds (since "
                    f"[{wall(t - act / 1000).strftime('%m/%d/%y, %-I:%M %p')}]) to serve the same request for [{url}] "
                    f"and may be stuck (configured threshold for this StuckThreadDetectionValve is [60] seconds). "
                    f"There is/are [{stuck}] thread(s) in total that are monitored by this Valve and may be stuck.\n"
                    "\tjava.lang.Throwable\n"
                    "\t\tat java.base@17.0.9/java.util.regex.Pattern$Loop.match(Pattern.java:5050)\n"
                    "\t\tat java.base@17.0.9/java.util.regex.Pattern$GroupTail.match(Pattern.java:4899)\n"
                    "\t\tat java.base@17.0.9/java.util.regex.Pattern$CharPropertyGreedy.match(Pattern.java:4394)\n"
                    "\t\tat java.base@17.0.9/java.util.regex.Matcher.matches(Matcher.java:729)\n"
                    "\t\tat de.shopwelt.catalog.search.QuerySanitizer.isSafe(QuerySanitizer.java:33)\n"
                    "\t\tat de.shopwelt.catalog.search.SearchController.search(SearchController.java:58)")))
        sc.log("/catalog-web/catalina", iid, cat)
        sc.log("/catalog-web/access", iid, acc)
    sc.change(-12600, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "catalog-web-prod", "jenkins-deployer")
    sc.alarm("catalog-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             stat="Average", period=60, evals=3, threshold=0.75, description="catalog-web average response time",
             onset=onset)
    sc.expect = {"alarm": "catalog-web-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [nodes[1][0], nodes[1][1]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": nodes[1][0]}}]}
    sc.readme = dict(
        category="cpu_saturation", accepted=f"{nodes[1][0]} / catalog-web-2",
        decoys="CodeDeploy CreateDeployment 3.5 h earlier (all nodes healthy since); sitemap CPU spike on "
               "catalog-web-1 2 h ago; constant GeoIP WARNING; UnHealthyHostCount flapping",
        story="Someone (a bot) started sending a pathological search query that triggers catastrophic regex "
              "backtracking in QuerySanitizer. The load balancer's stickiness sends that client to catalog-web-2, "
              "whose CPU has been pinned at ~99 % for 35 min; its Tomcat reports stuck threads in "
              "java.util.regex, its requests take 3-9 s and some 504. The other two nodes are fine, so the ALB "
              "average latency rises and the health check flaps.")
    return sc


# =========================================================================== h8-18 dependency instance died


def zap(t: float, level: str, caller: str, msg: str, **kv) -> str:
    return json.dumps({"level": level, "ts": round(wall(t).timestamp(), 6), "caller": caller, "msg": msg, **kv})


def dependency_instance_down(seed: int) -> Scenario:
    sc = Scenario("h8-18-tracker-geocoder-down", "eu-north-1",
                  "tracking-alb 5XX alarm: parcel tracking page shows 'position unavailable'.", seed)
    r = sc.rng
    lb = "app/tracking-alb/0d1e2f3a4b5c6d7e"
    geo = "i-0d2b4f6a8c1e3a5b7"
    onset = -1740
    sc.resource("ecs", "tracking/tracker-api", cluster="tracking", task_definition="tracker-api:212",
                desired_count=4, cpu=512, memory=1024, launch_type="FARGATE")
    sc.resource("alb", lb, name="tracking-alb", targets=["tracking/tracker-api"])
    sc.resource("ec2", geo, name="geo-grpc-1", instance_type="c6g.large", private_ip="10.40.3.17",
                log_groups=["/geo/geocoder"])
    down = after(onset)
    nan = np.where(down > 0, np.nan, 1.0)
    ec2(sc, geo, cpu=noisy(r, 34 * wave(r, 10800, 0.1), 0.1) * nan, mem=noisy(r, 71, 0.01) * nan,
        disk=noisy(r, 48, 0.002) * nan, net_in=noisy(r, 2.2e6, 0.15) * nan, status=down.copy())
    sc.metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": geo}, "Count", down.copy())
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": geo}, "Count", np.zeros(N))
    req = counts(r, 380 * wave(r, 10800, 0.12))
    t5 = counts(r, 0.3 + req * 0.58 * down)
    ecs(sc, "tracking", "tracker-api", cpu=noisy(r, 28 + 30 * ((T > -6100) & (T < -5700)) - 8 * down, 0.1, 0, 100),
        mem=noisy(r, 46, 0.02), running=np.where(T >= -6000, 4.0, 3.0))
    alb(sc, lb, requests=req, rt=noisy(r, 0.061 + 1.1 * down, 0.1), t5xx=t5, e5xx=counts(r, 0.02),
        healthy=np.where(T >= -5940, 4.0, 3.0), unhealthy=np.zeros(N), t4xx=counts(r, 11.0))
    gl = []
    for t in np.arange(-21600 + r.u(0, 10), onset - r.u(5, 40), 10.0):
        gl.append((t, f"{wall(t).strftime('%Y/%m/%d %H:%M:%S')} reverse: served {r.i(40, 90)} lookups, "
                      f"p99={r.i(3, 9)}ms cache_hit={r.u(0.8, 0.95):.2f}"))
    sc.log("/geo/geocoder", geo, gl)
    tasks = [r.hex(32) for _ in range(4)]
    for n, tid in enumerate(tasks):
        ev = []
        t_from = -6000 if n == 3 else -10800
        for t in np.arange(t_from + r.u(0, 8), 0, 8.0):
            i = int((t + 21600) // 60)
            tr = r.hex(32)
            if down[i] and r.u() < 0.6:
                if r.u() < 0.7:
                    err = ('rpc error: code = Unavailable desc = connection error: desc = "transport: Error while '
                           'dialing: dial tcp 10.40.3.17:7443: i/o timeout"')
                else:
                    err = "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
                ev.append((t, zap(t, "error", "geo/client.go:88", "reverse geocode failed", error=err,
                                  target="geo-grpc-1.tracking.internal:7443", trace_id=tr)))
                ev.append((t + 0.001, zap(t, "warn", "http/handler.go:141", "request failed", status=503,
                                          path=f"/v1/shipments/{r.hex(12)}/position", dur_ms=r.i(1990, 2010),
                                          trace_id=tr)))
            else:
                ev.append((t, zap(t, "info", "http/handler.go:133", "request", status=200,
                                  path=f"/v1/shipments/{r.hex(12)}" + ("/position" if r.u() < 0.6 else ""),
                                  dur_ms=r.i(8, 70), trace_id=tr)))
            if r.u() < 0.05:
                ev.append((t + 0.5, zap(t + 0.5, "warn", "cache/redis.go:52", "cache miss", key=f"shp:{r.hex(8)}",
                                        error="redis: nil")))
        sc.log("/ecs/tracker-api", f"ecs/tracker-api/{tid}", ev)
    sc.change(-6030, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tracking/tracker-api",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("tracking-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=60, evals=3, threshold=50, onset=onset)
    sc.expect = {"alarm": "tracking-alb-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [geo, "geo-grpc-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": geo}}]}
    sc.readme = dict(
        category="dependency_failure", accepted=f"{geo} / geo-grpc-1",
        decoys="autoscaling UpdateService on tracker-api 1.7 h earlier (+1 task, CPU bump); constant redis cache-miss "
               "WARN; tracker-api itself unchanged",
        story="The EC2 host under geo-grpc-1 (the reverse-geocoder gRPC server) failed: its system status check "
              "fails, its metrics and logs stop. tracker-api (Go on ECS) can no longer dial 10.40.3.17:7443 and "
              "answers 503 for every position lookup. The only link from the service to the instance is the "
              "address in the error and the instance's private IP.")
    return sc
