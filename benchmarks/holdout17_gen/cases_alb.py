"""Cases whose fault originates at an Application Load Balancer (14-15)."""
from __future__ import annotations

import numpy as np

from .core import Case
from .families import Call, alb_metrics, arrivals, ecs_metrics, lambda_metrics, per_minute
from .logfmt import LambdaLogs, TaskLogs, nginx, pino, py_line, py_unhandled

ACCT = "123456789012"
UAS = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
       "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Mobile Safari/537.36",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36"]


def _ecs_deploy(c: Case, t: float, cluster: str, service: str, user: str) -> None:
    c.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", service, user)
    c.change(t + 12, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{service}", user)


# ---------------------------------------------------------------- 14
def case14() -> Case:
    region = "sa-east-1"
    c = Case(14, "loja-alb-5xx", region, 1714, "2026-03-22T17:20:00",
             "loja-alb ELB 5XX alarm; the store's product pages load but cart and checkout calls fail with 503.")
    lb = "app/loja-alb/5a2e9c7d1b3f8e04"
    tg_api, tg_web = "targetgroup/loja-api-tg/7d21c4e9a0b3f658", "targetgroup/loja-web-tg/1f9a8b7c6d5e4f30"
    c.resource("alb", lb, name="loja-alb", scheme="internet-facing", listeners=["HTTPS:443", "HTTP:80 (redirect)"],
               target_groups=["loja-api-tg", "loja-web-tg", "loja-api-v1-tg"])
    c.resource("ecs", "loja/loja-api", launch_type="FARGATE", desired_count=3, runtime="node 20 (fastify)")
    c.resource("ecs", "loja/loja-web", launch_type="FARGATE", desired_count=2, runtime="nginx + static Next.js export")
    _ecs_deploy(c, -2612, "loja", "loja-web", "gha-loja")
    flip = -1262
    c.change(flip, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             f"arn:aws:elasticloadbalancing:{region}:{ACCT}:listener-rule/app/loja-alb/5a2e9c7d1b3f8e04/"
             "9c1d2e3f4a5b6c7d/0f1e2d3c4b5a6978", "d.nakamura")
    n = len(c.t)
    off = c.t >= flip + 20
    load = c.diurnal(1.0, 0.35, peak_hour=18)
    api = load * 1150 * (1 + 0.03 * c.walk(n, 1))
    web = load * 950 * (1 + 0.03 * c.walk(n, 1))
    api_served = np.where(off, 0.0, api)
    e503 = c.poisson(np.where(off, api, 0.0))
    trt_api = 0.061 + c.rng.normal(0, 0.005, n)
    trt_web = 0.012 + c.rng.normal(0, 0.002, n)
    trt = (api_served * trt_api + web * trt_web) / (api_served + web)
    alb_metrics(c, lb, api + web, trt, c.poisson(np.where(off, 0, api * 0.0006) + 0.05), e503 + c.poisson(0.7, n),
                np.full(n, 3.0), np.zeros(n), e503=e503, t4xx=c.poisson(web * 0.006 + api_served * 0.01), tg=tg_api)
    for tg, vals, hh in ((tg_api, api_served, 3.0), (tg_web, web, 2.0)):
        d = {"TargetGroup": tg, "LoadBalancer": lb}
        c.metric("AWS/ApplicationELB", "RequestCount", d, "Count", c.poisson(vals), nd=0)
        if tg == tg_web:
            c.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", np.full(n, hh), nd=0)
    ecs_metrics(c, "loja", "loja-api", np.where(off, 2.5, 34 * load) + c.rng.normal(0, 1.5, n), 52 + c.rng.normal(0, 1, n),
                np.full(n, 3.0))
    ecs_metrics(c, "loja", "loja-web", 6 + c.rng.normal(0, 1, n), 18 + c.rng.normal(0, 0.5, n),
                np.full(n, 2.0) + (np.abs(c.t + 2540) < 90))

    al = TaskLogs(c, "/ecs/loja-api", "api", "loja-api")
    hosts = {}
    for k in range(3):
        hosts[al.task(-50000)] = f"ip-10-8-{k + 1}-{int(c.rng.integers(10, 250))}"
    routes = [("GET", "/api/carrinho"), ("POST", "/api/carrinho/itens"), ("GET", "/api/frete?cep={cep}"),
              ("POST", "/api/checkout"), ("GET", "/api/produtos/{sku}/estoque")]
    for t, i in arrivals(c, api_served / 45):
        m, u = routes[int(c.rng.choice(5, p=[0.3, 0.25, 0.2, 0.1, 0.15]))]
        u = u.format(cep=f"0{int(c.rng.integers(1000, 9999))}-{int(c.rng.integers(100, 999))}", sku=f"SKU{int(c.rng.integers(10000, 99999))}")
        st = 200 if m == "GET" else 201
        if u.startswith("/api/frete") and c.rng.random() < 0.05:
            st = 422
        al.any(t, lambda tid: pino(c, t, 30 if st < 400 else 40, "request completed", hosts[tid],
                                   reqId=f"req-{c.hex(5)}", req={"method": m, "url": u}, res={"statusCode": st},
                                   responseTime=round(float(trt_api[i] * 1000 * c.rng.uniform(0.5, 1.6)), 2)))
    for tid in list(hosts):
        for t in np.arange(-10800 + float(c.rng.uniform(0, 30)), -1, 30.0):
            al.add(tid, float(t), pino(c, float(t), 30, "request completed", hosts[tid], reqId=f"req-{c.hex(5)}",
                                       req={"method": "GET", "url": "/health", "userAgent": "ELB-HealthChecker/2.0"},
                                       res={"statusCode": 200}, responseTime=round(float(c.rng.uniform(0.4, 1.5)), 2)))
    al.flush()
    wl = TaskLogs(c, "/ecs/loja-web", "web", "loja-web")
    old = [wl.task(-50000, -2470), wl.task(-50000, -2430)]
    new = [wl.task(-2545), wl.task(-2505)]
    for t, i in arrivals(c, web / 60):
        p = c.pick(["/", "/produtos/tenis-corrida-azul", "/produtos/camiseta-algodao", "/categorias/calcados",
                    "/_next/static/chunks/main-3f9a.js", "/_next/static/css/8c1e.css"])
        wl.any(t, lambda tid: nginx(c, t, f"10.8.0.{int(c.rng.integers(2, 250))}", "GET", p, 200,
                                    int(c.rng.integers(900, 90000)), c.pick(UAS), float(c.rng.uniform(0.001, 0.02))))
    wl.flush()
    c.alarm("loja-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 2, 100,
            description="5xx generated by loja-alb itself", want="ALARM")
    c.alarm("loja-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60,
            3, 25, want="OK")
    c.alarm("loja-api-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"TargetGroup": tg_api, "LoadBalancer": lb},
            "Maximum", 60, 2, 0, want="OK")
    c.set_expect("loja-alb-elb-5xx", "config_change", [lb, "loja-alb"],
                 [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}),
                  ("AWS/ApplicationELB", "RequestCount", {"TargetGroup": tg_api, "LoadBalancer": lb})])
    c.meta = dict(front="origin (the load balancer's own ELB-5xx alarm)", decoys=(
        "loja-web deploy 22 min before onset (its traffic keeps being served); a few long-standing ELB 502s"), story=(
        "d.nakamura modified the HTTPS listener rule for `/api/*` on loja-alb (ModifyRule). Right after, the ALB "
        "itself answers every API request with 503 (HTTPCode_ELB_503_Count = the API share of traffic) while "
        "loja-api-tg's RequestCount drops to zero; its three targets stay healthy and their logs only show "
        "ELB-HealthChecker probes, and loja-api CPU falls to idle. The rule now forwards to a target group with no "
        "registered targets (loja-api-v1-tg). The loja-web deploy finished 20 minutes earlier and the web pages are "
        "served normally."))
    return c


# ---------------------------------------------------------------- 15
def case15() -> Case:
    region = "ap-northeast-2"
    c = Case(15, "tickets-latency", region, 1715, "2026-03-27T01:00:00",
             "tickets-alb response-time alarm; users report the seat map is slow to load.")
    lb = "app/tickets-alb/8c3e5a7b9d1f2064"
    c.resource("alb", lb, name="tickets-alb", scheme="internet-facing", target_groups=["ticketing-web-tg", "ticketing-admin-tg"])
    c.resource("ecs", "events/ticketing-web", launch_type="FARGATE", desired_count=6, autoscaling="6-12 tasks, target CPU 65%",
               runtime="node 20 (fastify + under-pressure)")
    c.resource("ecs", "events/ticketing-admin", launch_type="FARGATE", desired_count=2)
    c.resource("lambda", "seat-hold-expiry", runtime="python3.12", timeout=55, memory_size=256, schedule="rate(1 minute)")
    onset = -1500
    _ecs_deploy(c, -4212, "events", "ticketing-admin", "gha-events")
    for t in (-1262, -962):
        c.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "events/ticketing-web",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    n = len(c.t)
    surge = c.ramp(onset, 110)
    decay = np.where(c.t >= onset, np.exp(-(c.t - onset) / 20000), 0)
    req = c.diurnal(2600, 0.2, 1.5) * (1 + 0.03 * c.walk(n, 1)) + surge * decay * c.rng.uniform(26000, 29000, n)
    tasks = np.full(n, 6.0) + 3 * (c.t >= -1262 + 150) + 3 * (c.t >= -962 + 150)
    per_task = req / tasks
    cpu = np.clip(per_task / 2600 * 80 + c.rng.normal(0, 2, n), 5, 84) - c.rng.uniform(0, 3, n) * surge
    trt = 0.085 + c.rng.normal(0, 0.006, n) + surge * np.clip((per_task - 900) / 1400, 0, None) * c.rng.uniform(1.0, 1.2, n)
    shed = c.poisson(req * surge * np.clip((per_task - 1700) / 40000, 0, 0.02))
    alb_metrics(c, lb, req, trt, shed + c.poisson(0.2), c.poisson(0.1 + surge * 2), tasks + 2, np.zeros(n),
                t4xx=c.poisson(req * 0.004))
    ecs_metrics(c, "events", "ticketing-web", cpu, 44 + surge * 8 + c.rng.normal(0, 1, n), tasks)
    ecs_metrics(c, "events", "ticketing-admin", 9 + c.rng.normal(0, 1, n), 36 + c.rng.normal(0, 1, n), np.full(n, 2.0))
    runs = [Call(float(t), float(c.rng.uniform(800, 1900)), kind="x") for t in np.arange(-21600 + 2.0, -1, 60)]
    for k, r in enumerate(runs):
        if k % 37 == 11:
            r.error, r.kind = True, "cond"
    lambda_metrics(c, "seat-hold-expiry", per_minute(c, runs))

    tl = TaskLogs(c, "/ecs/ticketing-web", "web", "ticketing-web")
    hosts = {}
    for k in range(6):
        hosts[tl.task(-60000)] = f"ip-10-4-{k % 3 + 1}-{int(c.rng.integers(10, 250))}"
    for k in range(6):
        hosts[tl.task((-1262 if k < 3 else -962) + 120 + 8 * k)] = f"ip-10-4-{k % 3 + 1}-{int(c.rng.integers(10, 250))}"
    urls = [("GET", "/api/events/evt_2611/seatmap"), ("POST", "/api/holds"), ("GET", "/api/events/evt_2611"),
            ("GET", "/api/me/orders"), ("GET", "/api/events?city=seoul")]
    for t, i in arrivals(c, req / 420):
        hot = surge[i] > 0.5
        m, u = urls[int(c.rng.choice(5, p=[0.55, 0.25, 0.12, 0.04, 0.04] if hot else [0.15, 0.05, 0.2, 0.3, 0.3]))]
        rt = float(trt[i] * 1000 * c.rng.uniform(0.5, 1.5))
        tl.any(t, lambda tid: pino(c, t, 30, "request completed", hosts[tid], reqId=f"req-{c.hex(6)}",
                                   req={"method": m, "url": u, "remoteAddress": f"{int(c.rng.integers(1, 223))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(1, 254))}"},
                                   res={"statusCode": 200 if m == "GET" else 201}, responseTime=round(rt, 2)))
    for t, i in arrivals(c, shed / 25):
        tl.any(t, lambda tid: pino(c, t, 40, "Service Unavailable", hosts[tid], reqId=f"req-{c.hex(6)}",
                                   req={"method": "GET", "url": "/api/events/evt_2611/seatmap"}, res={"statusCode": 503},
                                   reason="under-pressure: eventLoopDelay", eventLoopDelay=int(c.rng.integers(400, 900))))
    for t, i in arrivals(c, surge * 1.5, start=onset):
        tl.any(t, lambda tid: pino(c, t, 40, "event loop delay high", hosts[tid], eventLoopDelay=int(c.rng.integers(180, 700)),
                                   activeHandles=int(c.rng.integers(300, 900))))
    tl.add(list(hosts)[0], onset + 3, pino(c, onset + 3, 30, "on-sale opened for evt_2611 (inventory 48000 seats)", list(hosts.values())[0]))
    tl.flush()
    ll = LambdaLogs(c, "seat-hold-expiry", 256)
    for k in runs:
        if k.t < -10800:
            continue

        def body(rid, s, k=k):
            if k.error:
                return [(k.duration_ms / 1000 - 0.01, py_unhandled(
                    "ConditionalCheckFailedException", "An error occurred (ConditionalCheckFailedException) when calling the "
                    "UpdateItem operation: The conditional request failed",
                    [("/var/task/expiry.py", 52, "handler", "release(hold)"),
                     ("/var/task/expiry.py", 31, "release", "table.update_item(**kwargs)")]))]
            return [(k.duration_ms / 1000 - 0.01, py_line(c, s + k.duration_ms / 1000 - 0.01, rid, "INFO",
                     f"released {int(c.rng.integers(0, 40))} expired seat holds"))]
        ll.invoke(k.t, body, k.duration_ms, int(c.rng.integers(80, 95)))
    ll.flush()
    c.alarm("tickets-alb-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60,
            3, 1.0, description="tickets-alb average target response time above 1 s", want="ALARM")
    c.alarm("ticketing-web-cpu-high", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "events", "ServiceName": "ticketing-web"}, "Average", 300, 2, 90, want="OK")
    c.alarm("seat-hold-expiry-errors", "AWS/Lambda", "Errors", {"FunctionName": "seat-hold-expiry"}, "Sum", 300, 2, 2,
            want="OK")
    c.set_expect("tickets-alb-response-time", "traffic_surge",
                 [lb, "tickets-alb", "events/ticketing-web", "ticketing-web"],
                 [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
                  ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    c.meta = dict(front="origin (the load balancer, where the surge arrives)", decoys=(
        "ticketing-admin deploy 45 min before onset; autoscaling UpdateService calls after onset; seat-hold-expiry's "
        "long-standing ConditionalCheckFailed errors"), story=(
        "At 10:00 KST an on-sale opens (the app logs it) and tickets-alb's RequestCount jumps from ~2 600 to ~30 000 "
        "per minute (about 11x), almost all seat-map and hold requests. Per-task load pushes ticketing-web's event-loop delay up "
        "and it sheds a small share of requests with 503; response time goes from 0.09 s to ~3 s and stays above 1 s "
        "after autoscaling doubles the tasks. CPU peaks around 80 %, memory is normal, no dependency errors and no "
        "change before onset on this service; the autoscaling calls come after the onset."))
    return c


CASES = [case14, case15]
