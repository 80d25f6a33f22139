"""h57-16: ALB listener rule repointed to an empty target group (config change), EC2 nginx/php-fpm."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp, bump
from .runtimes import LambdaLogs, nginx
from .s06_s13_ec2 import _ec2

T_TG, T_RULE, T_PDF = -5400, -1875, -2400
ALB = "app/portal-alb/0d1e2f3a4b5c6d7e"
RULE = f"{ALB}/8f2a1c3b5d7e9f01/4b6d8f0a2c4e6a8c"
HOSTS = {"portal-web-1": "i-0e1f2a3b4c5d6e7f8", "portal-web-2": "i-0a9b8c7d6e5f4a3b2",
         "portal-api-1": "i-0c3d5e7f9a1b2c4d6", "portal-api-2": "i-0f8e6d4c2b0a9f7e5"}
TG = {"web": "targetgroup/portal-web-tg/1b2c3d4e5f6a7b8c", "api": "targetgroup/portal-api-tg/2c3d4e5f6a7b8c9d",
      "blue": "targetgroup/portal-api-tg-blue/3d4e5f6a7b8c9d0e"}


def build() -> Scenario:
    sc = Scenario(16, "portal-alb-listener-rule", "Customer portal loads but every action fails with "
                  "503; portal ALB 5XX alarm in ALARM.", "eu-west-3", 5716, "2026-01-20T13:35:00+00:00")
    rng = sc.rng
    sc.resource("alb", ALB, name="portal-alb", listener="HTTPS:443",
                rules=["/api/* -> portal-api-tg (priority 10)", "default -> portal-web-tg"],
                target_groups=["portal-web-tg", "portal-api-tg", "portal-api-tg-blue"])
    for name, iid in HOSTS.items():
        sc.resource("ec2", iid, name=name, instance_type="m7g.large", load_balancer=ALB,
                    target_group=f"portal-{name.split('-')[1]}-tg", runtime="nginx 1.24 + php-fpm 8.3",
                    log_groups=["/portal/nginx/access", "/portal/nginx/error"])
    sc.resource("lambda", "portal-pdf-export", runtime="nodejs20.x", timeout=60, memory_size=1024)
    broken = lambda t: t >= T_RULE + 5
    web = sc.series(lambda t: 840 * diurnal(sc, t, 13, 0.3), integer=True)
    api = sc.series(lambda t: 560 * diurnal(sc, t, 13, 0.3) * (1.06 if broken(t) else 1), integer=True)
    d = {"LoadBalancer": ALB}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", [a + b for a, b in zip(web, api)])
    e503 = [a if broken(t) else 0.0 for t, a in zip(GRID, api)]
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              [x + float(rng.random() < 0.02) for x in e503])
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", d, "Count", e503)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", [float(rng.random() < 0.25) for _ in GRID])
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(lambda t: 0.052 if broken(t) else 0.083, noise=0.08))
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", [4.0] * len(GRID))
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", [0.0] * len(GRID))
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": ALB, "TargetGroup": TG["web"]}, "Count", web)
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": ALB, "TargetGroup": TG["api"]}, "Count",
              [0.0 if broken(t) else a for t, a in zip(GRID, api)])
    for k, n in (("web", 2.0), ("api", 2.0)):
        sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": ALB, "TargetGroup": TG[k]}, "Count",
                  [n] * len(GRID))
    blue = [t for t in GRID if t >= T_RULE]
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": ALB, "TargetGroup": TG["blue"]}, "Count",
              [0.0] * len(blue), blue)
    for name, iid in HOSTS.items():
        is_api = "api" in name
        _ec2(sc, iid, sc.series(lambda t: (3.1 if is_api and broken(t) else (34 if is_api else 24) * diurnal(sc, t, 13, 0.3))
                                + (bump(t, -8100, -7500, 66) if name == "portal-web-1" else 0), noise=0.08, cap=100.0),
             sc.series(lambda t: (2e5 if is_api and broken(t) else 1.4e7) * diurnal(sc, t, 13, 0.3), noise=0.1, digits=0),
             sc.series(lambda t: 46, noise=0.02),
             sc.series(lambda t: 84.5 + 1.9 * ramp(t, -17200, -15800) if name == "portal-web-2" else 52.0, noise=0.001))
    pinv = sc.series(lambda t: 1.5, integer=True)
    fd = {"FunctionName": "portal-pdf-export"}
    sc.metric("AWS/Lambda", "Invocations", fd, "Count", pinv)
    sc.metric("AWS/Lambda", "Errors", fd, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", fd, "Milliseconds", sc.series(lambda t: 5200 if t < T_PDF else 4900, noise=0.1))

    ua = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15"]
    api_paths = ["/api/v2/contracts/{n}", "/api/v2/invoices?page=1", "/api/v2/profile", "/api/v2/meters/{n}/readings",
                 "/api/v2/payments"]
    web_paths = ["/", "/espace-client", "/espace-client/factures", "/assets/app.4f9c1e.js", "/assets/app.9e2d7a.css",
                 "/contrat/{n}"]
    for name, iid in HOSTS.items():
        is_api = "api" in name
        for t in range(-10800, 0, 60):
            tt = t + rng.uniform(0, 59)
            sc.log("/portal/nginx/access", iid, tt, nginx(sc, tt, sc.ip("10.20"), "GET", "/healthz", 200, 2,
                                                          0.001, "ELB-HealthChecker/2.0"))
            if is_api and broken(t):
                continue
            for _ in range(4):
                tt = t + rng.uniform(0, 59)
                p = rng.choice(api_paths if is_api else web_paths).format(n=rng.randint(100000, 999999))
                m = "POST" if p.endswith("payments") else "GET"
                sc.log("/portal/nginx/access", iid, tt, nginx(sc, tt, sc.ip("10.20"), m, p, 200,
                       rng.randint(300, 40000), rng.uniform(0.03, 0.2) if is_api else rng.uniform(0.002, 0.08),
                       rng.choice(ua), "https://portail.voltea.fr/espace-client"))
            if not is_api and rng.random() < 0.5:  # pre-existing loud error, steady
                tt = t + rng.uniform(0, 59)
                d0 = sc.at(tt)
                sc.log("/portal/nginx/error", iid, tt, f"{d0.strftime('%Y/%m/%d %H:%M:%S')} [error] 2114#2114: "
                       f"*{rng.randint(10 ** 6, 10 ** 7)} open() \"/var/www/portal/public/apple-touch-icon-precomposed.png\" "
                       f"failed (2: No such file or directory), client: {sc.ip('10.20')}, server: portail.voltea.fr, "
                       'request: "GET /apple-touch-icon-precomposed.png HTTP/1.1", host: "portail.voltea.fr"')

    pl = LambdaLogs(sc, "portal-pdf-export", "nodejs20.x", 1024, 60, mem_used=(310, 20), retire=[T_PDF])

    def pbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(5200 if t < T_PDF else 4900, 400)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"exported contract PDF ctr_{rng.randint(100000, 999999)} ({rng.randint(2, 14)} pages)"))]}
    pl.run({t: v for t, v in zip(GRID, pinv) if t >= -10800}, {}, pbody)

    sc.change(T_TG, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
              "portal-api-tg-blue", "a.dubois")
    sc.change(T_RULE, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              RULE, "a.dubois")
    sc.change(T_PDF, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "portal-pdf-export", "ci-deployer")
    sc.alarm("portal-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Sum", 60, 2, 25,
             "GreaterThanThreshold", "portal-alb 5xx generated by the load balancer")
    sc.alarm("portal-web-2-disk-used", "CWAgent", "disk_used_percent",
             {"InstanceId": HOSTS["portal-web-2"], "path": "/", "fstype": "xfs"}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "portal-alb-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": ["portal-alb", ALB]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (ALB portal-alb)",
        "decoys": "portal-web-2 disk-usage alarm in ALARM for ~4.5 h (86 %, stable); portal-web-1 CPU spike "
                  "(cron) 2.2 h earlier; portal-pdf-export deploy 9 min before; loud pre-existing nginx "
                  "'No such file or directory' errors on the web hosts; CreateTargetGroup 1 h earlier by "
                  "the same engineer (preparation, harmless by itself)",
        "story": "At -1875 s a.dubois modified the portal-alb listener rule for `/api/*`. From the next "
                 "seconds the ALB answers every API call itself with 503 (HTTPCode_ELB_503 equals the "
                 "API share of traffic), target 5XX stay at zero, all four targets remain healthy, and "
                 "the API hosts' nginx logs show only ELB health checks: no request reaches portal-api-tg "
                 "any more (its RequestCount drops to 0, API CPU falls to 3 %). The newly attached "
                 "portal-api-tg-blue (created an hour earlier for a blue/green move) reports "
                 "HealthyHostCount 0: the rule forwards to a target group with no registered targets. "
                 "A settings change on the load balancer right before onset is config_change, "
                 "originating in portal-alb.",
    }
    return sc
