"""h19-09: an ALB listener rule is pointed at an empty target group (config_change, ALB origin alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, bump, counts, diurnal, wobble
from .logfmt import nginx

SLUG = "h19-09-booking-alb-listener-rule"
CHANGE = -1900
LB = "app/booking-alb/5e1f3a7c9d2b4068"
TG = "targetgroup/booking-web/8a2c4e6f1b3d5a70"
TG2 = "targetgroup/booking-web-v2/3f9d1c7b5e2a4086"
RULE = "listener-rule/app/booking-alb/5e1f3a7c9d2b4068/9c1e2d3f4a5b6c7d/0f1e2d3c4b5a6978"

META = {
    "front": "origin",
    "decoys": "CodeDeploy release to the booking-web instances 3 h earlier; CPU spike on booking-web-3 from log "
              "compression 2 h earlier; steady 4xx and app warnings",
    "story": (
        "While preparing a blue/green cut-over, an engineer created target group `booking-web-v2` (-40 min, no "
        "targets registered yet) and then modified the HTTPS listener rule for `/api/*` (-32 min) to forward to "
        "it. From that minute the ALB itself answers API calls with 503 (HTTPCode_ELB_5XX, ELB 503), the "
        "`booking-web` target group's RequestCount drops to the share of non-API paths, the instances' nginx "
        "logs show no more `/api/` requests (only page loads and health checks), and their health, CPU and "
        "memory are unchanged; the new target group reports zero healthy hosts. The ALB's properties show the "
        "rule now forwarding to booking-web-v2. The CodeDeploy release and the log-compression CPU spike are "
        "hours earlier, and the app warnings are constant. The fault is a configuration change on the load balancer."),
}


def build() -> Case:
    c = Case(SLUG, 1909, "us-west-2", datetime(2026, 11, 19, 17, 55),
             "Booking site API calls failing with 503; ALB 5XX alarm fired.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    nodes = {"i-0b5e2c8f1a3d7e609": ("booking-web-1", "10.50.1.31"), "i-04d7a9c2e6f1b3085": ("booking-web-2", "10.50.2.44"),
             "i-0e1c3b5a7d9f2e416": ("booking-web-3", "10.50.3.19")}
    c.resource("alb", LB, name="booking-alb", scheme="internet-facing",
               listeners=[{"port": 443, "protocol": "HTTPS", "default_action": f"forward {TG}",
                           "rules": [{"priority": 10, "condition": "path-pattern /api/*",
                                      "action": f"forward {TG2} (weight 100), {TG} (weight 0)"}]}],
               target_groups={TG: {"targets": list(nodes), "health_check": "/healthz"},
                              TG2: {"targets": [], "health_check": "/healthz"}})
    for iid, (name, _ip) in nodes.items():
        c.resource("ec2", iid, name=name, instance_type="t3.large", log_groups=["/booking-web/nginx", "/booking-web/app"],
                   codedeploy_group="booking-web-prod")

    shape = diurnal(t, 3000, 0.3) * (1 + wobble(rng, n, 0.06))
    req = counts(rng, 96 * shape)
    api = rng.binomial(req.astype(int), 0.74).astype(float)
    broken = (t + 60 > CHANGE) * np.clip((t + 60 - CHANGE) / 60, 0, 1)
    elb503 = np.round(api * broken)
    to_targets = req - elb503
    # ---------------------------------------------------------------- nginx logs
    pages = ["/", "/search", "/hotels/{id}", "/static/app.{h}.js", "/static/app.{h}.css", "/account"]
    apis = [("GET", "/api/availability?hotel={id}"), ("GET", "/api/hotels/{id}/rates"), ("POST", "/api/bookings"),
            ("GET", "/api/bookings/{id}"), ("POST", "/api/holds")]
    logs = {iid: c.stream("/booking-web/nginx", iid) for iid in nodes}
    app = {iid: c.stream("/booking-web/app", iid) for iid in nodes}
    keys = list(nodes)
    h = ids.hex(8)
    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        n_api = int(api[i] - elb503[i])
        n_page = int(req[i] - api[i])
        for ts in t0 + rng.uniform(0, 60, n_api):
            m, p = apis[int(rng.integers(0, len(apis)))]
            p = p.replace("{id}", ids.digits(6))
            st = 201 if m == "POST" else (404 if rng.random() < 0.02 else 200)
            logs[keys[int(rng.integers(0, 3))]].add(ts, nginx(c, ts, ids.ip("10.50.0"), m, p, st, int(rng.integers(200, 6000)),
                                                              "Mozilla/5.0", rng.lognormal(np.log(0.09), 0.4)))
        for ts in t0 + rng.uniform(0, 60, n_page):
            p = ids.pick(pages).replace("{id}", ids.digits(6)).replace("{h}", h)
            st = 404 if rng.random() < 0.015 else 200
            logs[keys[int(rng.integers(0, 3))]].add(ts, nginx(c, ts, ids.ip("10.50.0"), "GET", p, st, int(rng.integers(900, 90000)),
                                                              "Mozilla/5.0", rng.lognormal(np.log(0.03), 0.4)))
        for iid in keys:
            for node_ip in ("10.50.0.12", "10.50.0.201"):
                for off in (3.0, 33.0):
                    ts = t0 + off + rng.uniform(0, 1.5)
                    logs[iid].add(ts, nginx(c, ts, node_ip, "GET", "/healthz", 200, 2, "ELB-HealthChecker/2.0", 0.001))
            if rng.random() < 0.08:
                ts = t0 + rng.uniform(0, 60)
                app[iid].add(ts, f"{c.iso(ts)} WARN  [payments] webhook signature mismatch from provider=stripe-legacy; ignored")
            if rng.random() < 0.2:
                ts = t0 + rng.uniform(0, 60)
                app[iid].add(ts, f"{c.iso(ts)} INFO  [inventory] availability cache refreshed: {int(rng.integers(1800, 2300))} hotels")
    # ---------------------------------------------------------------- metrics
    rt = 0.072 * (1 + wobble(rng, n, 0.08))
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}, "Count", req)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Seconds", rt * (1 - 0.55 * broken))
    e5 = c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Count",
                  elb503 + counts(rng, np.full(n, 0.04)))
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", {"LoadBalancer": LB}, "Count", elb503)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Count", counts(rng, np.full(n, 0.1)))
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": LB}, "Count", counts(rng, 0.018 * to_targets))
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB}, "Count", np.full(n, 3.0))
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Count", np.zeros(n))
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB, "TargetGroup": TG}, "Count", to_targets)
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB, "TargetGroup": TG}, "Count", np.full(n, 3.0))
    t2 = t >= -2400
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB, "TargetGroup": TG2}, "Count",
             np.zeros(int(t2.sum())), t=t[t2])
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB, "TargetGroup": TG2}, "Count",
             np.zeros(int(t2.sum())), t=t[t2])
    for k, iid in enumerate(keys):
        cpu = 19 * shape * (1 - 0.35 * broken) + wobble(rng, n, 2)
        if k == 2:
            cpu = cpu + 48 * bump(t, -7300, 200)
        c.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", np.clip(cpu, 1, 100))
        c.metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", np.zeros(n))
        c.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", 48 + wobble(rng, n, 1))
        c.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                 31 + 0.00003 * (t - START) + wobble(rng, n, 0.04))

    c.alarm("booking-alb-5xx", e5, "Sum", 60, 3, 25, "GreaterThanThreshold", CHANGE,
            description="booking-alb load balancer 5xx")
    c.change(-2400, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
             TG2, "m.okafor")
    c.change(CHANGE, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             RULE, "m.okafor")
    c.change(-10900, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
             "booking-web-prod", "jenkins")
    c.expect = {"alarm": "booking-alb-5xx",
                "root_cause": {"category": "config_change", "resource": [LB, "booking-alb", RULE]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                               "dimensions": {"LoadBalancer": LB}}]}
    return c
