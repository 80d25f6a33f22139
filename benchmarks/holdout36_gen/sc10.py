"""h36-10 Thu 19:00 EDT, web (CamelCase ASG): storefront-web-prod latency.

A prime-time TV mention of the spring flash sale sends five times the usual traffic to the
storefront; the EC2 fleet runs hot (not pinned), queues and times out until the ASG adds hosts.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ec2, rds
from .lam import Lambda, Outcome

LB = "app/storefront-web-prod/3c5e7a9b1d2f4068"
ASG, DB, SITEMAP = "StorefrontWebProd", "storefront-prod-pg", "StorefrontSitemapBuilder"
OLD = ["i-04a6c8e0b2d4f6a81", "i-05b7d9f1c3e5a7b92", "i-06c8e0a2d4f6b8c03", "i-07d9f1b3e5a7c9d14"]
NEW = ["i-08eaf2c4f6b8dae25", "i-09fb03d5a7c9ebf36"]
T0, T_NEW = -1740, -1290

META = {
    "region": "us-east-2", "category": "traffic_surge", "front": "origin (the ALB receiving the surge)",
    "resources": ["storefront-web-prod", LB],
    "decoys": "StorefrontSitemapBuilder deploy 28 min before the surge; a steady /wp-login.php 404 scan; "
              "storefront-prod-pg busier but far from any limit",
    "story": (
        "storefront-web-prod's latency alarm fires at 18:32 local. RequestCount jumps from ~1,150 "
        "to ~5,500 a minute within two minutes and stays there; the access log shows ordinary "
        "browsers from thousands of addresses landing on /deals/spring-flash and product pages "
        "(a TV segment mentioned the sale). The four StorefrontWebProd instances go from ~30 % to "
        "75-90 % CPU, nginx logs `upstream timed out` and some 504s reach users; the ASG adds two "
        "instances 7 minutes later and the latency eases but stays high. No deploy, config change "
        "or permission change touches the storefront; the DB is busier but healthy; no instance "
        "is pinned or failing on its own. Load far above its usual level with no other fault: "
        "traffic_surge at the storefront ALB."),
}

PATHS = ["/deals/spring-flash", "/deals/spring-flash", "/deals/spring-flash", "/", "/product/{n}",
         "/product/{n}", "/cart", "/api/cart/items", "/static/js/app.{h}.js", "/search?q=garden+{w}"]


def build() -> Scenario:
    s = Scenario(10, "storefront-latency-tv-spike", 3610, "us-east-2",
                 "Paged 19:00 EDT by storefront-web-prod-latency; social media says the site is "
                 "crawling during the sale.", "2026-03-12T23:00:00", -4)
    r = s.rng
    s.resource("alb", LB, name="storefront-web-prod", scheme="internet-facing")
    for iid in OLD + NEW:
        s.resource("ec2", iid, name=ASG, instance_type="c6i.xlarge", autoscaling_group=ASG,
                   log_groups=["/storefront/prod/nginx-access", "/storefront/prod/nginx-error",
                               "/storefront/prod/app"])
    s.resource("rds", DB, engine="postgres", engine_version="16.1", instance_class="db.r6g.xlarge",
               max_connections=3400, allocated_storage_gb=500)
    s.resource("lambda", SITEMAP, runtime="nodejs20.x", timeout=300, memory_size=1024,
               schedule="rate(1 hour)")

    surge = lambda t: smooth(t, T0, T0 + 120)
    base = lambda t: 1150 * s.diurnal(t, 0.3, 19.5, 5)
    req = lambda t: s.noise(base(t), 0.04) * (1 + 3.8 * surge(t) * r.uniform(0.92, 1.08))
    hosts = lambda t: 4 + (2 if t >= T_NEW + 60 else 0)
    per_host = lambda t: req(t) / hosts(t)
    relief = lambda t: smooth(t, T_NEW + 60, T_NEW + 300)
    reqp = {}
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: reqp.setdefault(t, req(t)),
        "TargetResponseTime": lambda t: s.noise(0.092, 0.08) + surge(t) * (1 - 0.45 * relief(t)) * r.uniform(1.6, 2.6),
        "HTTPCode_Target_5XX_Count": lambda t: (1 if r.random() < 0.1 else 0) + surge(t) * reqp.get(t, 0) * (0.012 - 0.006 * relief(t)) * r.uniform(0.8, 1.2),
        "HTTPCode_ELB_5XX_Count": lambda t: surge(t) * reqp.get(t, 0) * 0.002 * r.uniform(0.5, 1.5),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(0.015 * reqp.get(t, 1000) + 6, 0.1),
        "HealthyHostCount": lambda t: hosts(t),
        "UnHealthyHostCount": lambda t: 2 if T_NEW <= t < T_NEW + 60 else 0,
    })
    cpu = lambda t: min(r.uniform(86, 91), 7 + per_host(t) * 0.058 * r.uniform(0.94, 1.06))
    for iid in OLD:
        ec2(s, iid, {"CPUUtilization": cpu, "NetworkIn": lambda t: per_host(t) * 2100,
                     "NetworkOut": lambda t: per_host(t) * 38000, "StatusCheckFailed": lambda t: 0,
                     "mem_used_percent": lambda t: s.noise(54 + 12 * surge(t), 0.02),
                     "disk_used_percent": lambda t: s.noise(37.5, 0.002)})
    for iid in NEW:
        ec2(s, iid, {"CPUUtilization": lambda t: cpu(t) if t >= T_NEW + 120 else s.noise(35, 0.2),
                     "NetworkIn": lambda t: per_host(t) * 2100, "NetworkOut": lambda t: per_host(t) * 38000,
                     "StatusCheckFailed": lambda t: 0, "mem_used_percent": lambda t: s.noise(48 + 10 * relief(t), 0.02),
                     "disk_used_percent": lambda t: s.noise(31.0, 0.002)}, start=T_NEW)
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(29 + 24 * surge(t), 0.07),
                "DatabaseConnections": lambda t: s.noise(122 + 70 * surge(t) + 30 * relief(t), 0.04),
                "FreeableMemory": lambda t: s.noise(21 * GB, 0.01), "FreeStorageSpace": lambda t: 301 * GB + r.uniform(-5e7, 5e7),
                "ReadLatency": lambda t: s.noise(0.0007, 0.1), "WriteLatency": lambda t: s.noise(0.0011, 0.1),
                "ReadIOPS": lambda t: s.noise(900 + 1400 * surge(t), 0.1)})

    # ---------------------------------------------------------------- logs
    acc = Fleet(s, "/storefront/prod/nginx-access")
    err = Fleet(s, "/storefront/prod/nginx-error")
    app = Fleet(s, "/storefront/prod/app")
    for iid in OLD + NEW:
        st = T_NEW + 40 if iid in NEW else -10 ** 9
        acc.host(iid, start=st)
        err.host(iid, start=st)
        app.host(iid, start=st)

    def hit(t, m, status=None):
        p = r.choice(PATHS).format(n=r.randint(10 ** 5, 10 ** 6), h=s.hexid(8), w=r.choice(["hose", "chair", "lights"]))
        meth = "POST" if p.startswith("/api/cart") else "GET"
        slow = surge(t) * (1 - 0.45 * relief(t))
        rt = r.uniform(0.02, 0.2) + slow * r.uniform(0.5, 3.5)
        st = status or (200 if not p.startswith("/static") else 304)
        if status == 504:
            rt = 10.0 + r.uniform(0, 0.01)
        ip = f"{r.randint(24, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        acc.emit(m, t + rt, L.nginx(s, t + rt, ip, meth, p, st, r.randint(800, 90000) if st == 200 else 0 if st == 304 else 167,
                                    rt, r.choice(L.UA), urt="-" if st == 504 else None))
        if status == 504:
            err.emit(m, t + rt, L.nginx_error(s, t + rt, r.randint(1000, 1100), r.randint(10 ** 6, 9 * 10 ** 6),
                                              "upstream timed out (110: Connection timed out) while reading response header from upstream",
                                              ip, "www.storefront.example", f"{meth} {p} HTTP/1.1", f"http://127.0.0.1:3000{p}"))
    acc.spread(-7200, 0, lambda t: reqp.get(int(t // 60) * 60, 1000) / 80, hit, warm=0, drain=0)
    acc.spread(-7200, 0, lambda t: 3, lambda t, m: acc.emit(m, t, L.nginx(
        s, t, f"45.{r.randint(10, 200)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "GET", "/wp-login.php", 404, 153, 0.002,
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1)")), warm=0, drain=0)
    t5 = dict(map(tuple, alb_pts["HTTPCode_Target_5XX_Count"]))
    for m0 in range(T0 - 60, 0, 60):
        for _ in range(int(t5.get(m0, 0))):
            t = m0 + r.random() * 60 - 10
            live = acc.alive(t)
            hit(t, r.choice(live), status=504)

    def applog(t, m):
        busy = surge(t) * (1 - 0.45 * relief(t))
        app.emit(m, t, L.pino(s, t, 30, "request completed", f"ip-10-30-{r.randint(1, 3)}-{r.randint(10, 250)}",
                              req={"method": "GET", "url": r.choice(["/deals/spring-flash", "/product/" + str(r.randint(10 ** 5, 10 ** 6))])},
                              res={"statusCode": 200}, responseTime=int(r.uniform(15, 120) + busy * r.uniform(400, 2400))))
    app.spread(-7200, 0, lambda t: 20, applog, warm=0, drain=0)
    app.spread(T0 + 60, 0, lambda t: 6 * surge(t), lambda t, m: app.emit(m, t, L.pino(
        s, t, 40, "event loop utilisation high", f"ip-10-30-{r.randint(1, 3)}-{r.randint(10, 250)}",
        elu=round(r.uniform(0.86, 0.97), 2), activeHandles=r.randint(400, 900))), warm=0, drain=0)

    def sitemap(t):
        return Outcome("ok", r.uniform(40000, 70000), r.randint(300, 420),
                       [(0.1, "INFO", "building sitemap for 48211 products"), (38.0, "INFO", "uploaded sitemap-index.xml (12 files)")])
    Lambda(s, SITEMAP, "nodejs20.x", 1024, 300, log_start=-10800,
           versions=[(-10 ** 9, "a", "$LATEST"), (-3400, "b", "$LATEST")]).run(
        lambda t: 1.0 if t % 3600 == 0 else 0.0, sitemap, exact=True)
    s.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", SITEMAP,
             "github-actions-web")

    dims = {"LoadBalancer": LB}
    s.alarm("storefront-web-prod-latency", "AWS/ApplicationELB", "TargetResponseTime", dims,
            alb_pts["TargetResponseTime"], "Average", 60, 3, 0.75, "GreaterThanThreshold",
            "Storefront average target response time")
    s.quiet_alarm("StorefrontWebProd-cpu-high", "AWS/EC2", "CPUUtilization", {"AutoScalingGroupName": ASG},
                  "Average", 300, 2, 95, "GreaterThanThreshold", state="OK", changed=-400000)
    s.expect("storefront-web-prod-latency", "traffic_surge", META["resources"],
             [anomaly("AWS/ApplicationELB", "RequestCount", dims),
              anomaly("AWS/ApplicationELB", "TargetResponseTime", dims)])
    s.meta = META
    return s
