"""Front-door incidents: a rolling ECS deploy that breaks carts; a marketing-email traffic surge."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scenario, counts, iso, noisy, sigmoid, spikes, wall, wave
from .stacks import alb, ec2, ecs

# =========================================================================== h8-13 ECS bad deploy (Node)


def pino(t: float, level: int, msg: str, **kv) -> str:
    return json.dumps({"level": level, "time": int(wall(t).timestamp() * 1000), "pid": 1, "hostname": kv.pop("host"),
                       **kv, "msg": msg})


def ecs_bad_deploy(seed: int) -> Scenario:
    sc = Scenario("h8-13-cart-svc-rolling-deploy", "sa-east-1",
                  "storefront-alb 5XX alarm: customers cannot open their cart or start checkout.", seed)
    r = sc.rng
    lb = "app/storefront-alb/6e5d4c3b2a190817"
    reg_t, upd_t = -1590, -1560
    first_new = upd_t + 140  # new tasks pass health checks ~2-3 min after UpdateService
    sc.resource("ecs", "storefront/cart-svc", cluster="storefront", task_definition="cart-svc:318", desired_count=4,
                cpu=512, memory=1024, launch_type="FARGATE")
    sc.resource("ecs", "storefront/search-svc", cluster="storefront", task_definition="search-svc:97",
                desired_count=3, cpu=1024, memory=2048, launch_type="FARGATE")
    sc.resource("alb", lb, name="storefront-alb", targets=["storefront/cart-svc", "storefront/search-svc"])
    # rolling: new tasks replace old ones one by one over ~4 minutes
    new_share = np.clip((T - first_new) / 240.0, 0, 1)
    req = counts(r, 860 * wave(r, 10800, 0.1))
    cart_req = req * 0.45
    gift = 0.31  # carts with a gift card line: the new totals code crashes on them
    t5 = counts(r, 0.3 + cart_req * new_share * gift)
    running = 4 + np.where((T >= upd_t + 30) & (T < first_new + 270), 2, 0)
    alb(sc, lb, requests=req, rt=noisy(r, 0.058 - 0.006 * new_share, 0.08), t5xx=t5, e5xx=counts(r, 0.04),
        healthy=np.where((T >= first_new) & (T < first_new + 270), 9.0, 7.0), unhealthy=np.zeros(N),
        t4xx=counts(r, 14.0))
    ecs(sc, "storefront", "cart-svc", cpu=noisy(r, 31 + 9 * ((T > upd_t) & (T < first_new + 60)), 0.07, 0, 100),
        mem=noisy(r, 44 - 6 * new_share, 0.02), running=running.astype(float))
    ecs(sc, "storefront", "search-svc", cpu=noisy(r, 38 + spikes(r, 1, 40, width=12, lo_t=-8000, hi_t=-7900), 0.07,
                                                   0, 100),
        mem=noisy(r, 58, 0.015), running=np.full(N, 3.0))
    stack = ("TypeError: Cannot read properties of undefined (reading 'currency')\n"
             "    at /app/dist/cart/totals.js:42:31\n    at Array.reduce (<anonymous>)\n"
             "    at computeTotals (/app/dist/cart/totals.js:38:22)\n"
             "    at CartService.summary (/app/dist/cart/service.js:117:20)\n"
             "    at async /app/dist/routes/cart.js:29:21")
    old_tasks = [r.hex(32) for _ in range(4)]
    new_tasks = [r.hex(32) for _ in range(4)]
    for k in range(4):
        cut = first_new + 60 * k + 30  # old task k drained
        for tid, lo, hi, new in ((old_tasks[k], -10800, cut, False), (new_tasks[k], first_new + 60 * k - 20, 0, True)):
            ev = []
            host = f"ip-10-8-{r.i(1, 9)}-{r.i(2, 250)}.sa-east-1.compute.internal"
            if new:
                ev.append((lo, pino(lo, 30, "cart-svc listening", host=host, port=8080, version="2.41.0",
                                    commit="9c1e7f2")))
            for t in np.arange(lo + r.u(0, 6), hi, 6.0):
                rid = r.uuid()
                if new and r.u() < gift * 1.1:
                    ev.append((t, pino(t, 50, "request errored", host=host, reqId=rid,
                                       req={"method": "GET", "url": "/cart/summary"},
                                       err={"type": "TypeError",
                                            "message": "Cannot read properties of undefined (reading 'currency')",
                                            "stack": stack}, responseTime=r.u(2, 9))))
                    continue
                ev.append((t, pino(t, 30, "request completed", host=host, reqId=rid,
                                   req={"method": "GET", "url": r.choice(["/cart/summary", "/cart", "/cart/items"])},
                                   res={"statusCode": 200}, responseTime=round(r.u(6, 60), 2))))
                if r.u() < 0.05:
                    ev.append((t + 0.2, pino(t + 0.2, 40, "slow redis GET", host=host, reqId=rid,
                                             key=f"cart:{r.hex(10)}", ms=r.i(120, 400))))
            if not new:
                ev.append((hi - 1, pino(hi - 1, 30, "received SIGTERM, draining connections", host=host)))
            sc.log("/ecs/cart-svc", f"cart-svc/cart-svc/{tid}", ev)
    sc.change(-4100, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/storefront/banner/home-hero",
              "marketing-cms")
    sc.change(reg_t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cart-svc",
              "github-actions")
    sc.change(upd_t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/cart-svc",
              "github-actions")
    sc.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=60, evals=3, threshold=30, onset=first_new)
    sc.expect = {"alarm": "storefront-alb-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["storefront/cart-svc", "cart-svc"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.readme = dict(
        category="bad_deployment", accepted="storefront/cart-svc",
        decoys="PutParameter banner text 1 h earlier; search-svc CPU spike 2 h ago; constant 'slow redis GET' "
               "warnings; errors start ~2.5 min after UpdateService, not at it",
        story="cart-svc 2.41.0 (Node 20, pino logs) was rolled out with RegisterTaskDefinition + UpdateService. "
              "The new totals code assumes every cart line has a price object; gift-card lines do not. As each "
              "new task passed its health check (from ~2.5 min after the update) its cart-summary requests for "
              "carts with gift cards throw TypeError and return 500; old tasks were drained so the errors persist.")
    return sc


# =========================================================================== h8-14 marketing email surge


def goaccess(t: float, rid: str, path: str, status: int, ms: float, ua: str) -> str:
    return json.dumps({"time": iso(t), "level": "INFO", "msg": "http", "req_id": rid, "method": "GET", "path": path,
                       "status": status, "dur_ms": round(ms, 1), "ua": ua})


def marketing_surge(seed: int) -> Scenario:
    sc = Scenario("h8-14-shop-web-newsletter-surge", "us-east-1",
                  "shop-web latency alarm; pages slow since late morning, some shoppers see 'please retry'.", seed)
    r = sc.rng
    lb = "app/shop-web/2f4e6a8c0b1d3e5f"
    nodes = [("i-0e1f2a3b4c5d6e7f8", "shop-web-a"), ("i-09a8b7c6d5e4f3a21", "shop-web-b")]
    for iid, name in nodes:
        sc.resource("ec2", iid, name=name, instance_type="c7g.xlarge", log_groups=["/shop-web/app"])
    sc.resource("alb", lb, name="shop-web", targets=[n[0] for n in nodes])
    deploy, email = -13800, -2160
    # email lands: traffic 5-6x within minutes, decaying slowly as people finish reading
    surge = sigmoid(email + 240, 200) * (1.0 + 0.25 * np.exp(-np.clip(T - email, 0, None) / 1800.0))
    base = 540 * wave(r, 14400, 0.1)
    req = counts(r, base * (1 + 4.6 * surge))
    load = req / 540.0
    rt = noisy(r, 0.068 + 0.16 * np.maximum(0, load - 1.5) ** 1.35, 0.08)
    shed = np.clip((load - 4.2) * 0.02, 0, 0.05)
    t5 = counts(r, req * shed + 0.2)
    alb(sc, lb, requests=req, rt=rt, t5xx=t5, e5xx=counts(r, 0.05 + 3 * (shed > 0)), healthy=np.full(N, 2.0),
        unhealthy=np.zeros(N), t4xx=counts(r, req * 0.012))
    for iid, name in nodes:
        cpu = noisy(r, 12 + 12 * np.minimum(load, 5.5), 0.05, 0, 100)
        ec2(sc, iid, cpu=cpu, mem=noisy(r, 41 + 5 * surge, 0.02), disk=noisy(r, 27, 0.002),
            net_in=noisy(r, 1.9e6 * load, 0.1))
    uas = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
           "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"]
    pages = ["/", "/c/outerwear", "/c/boots", "/p/{sku}", "/cart", "/search?q=parka"]
    for iid, name in nodes:
        ev = [(deploy + 95, json.dumps({"time": iso(deploy + 95), "level": "INFO", "msg": "starting shop-web",
                                        "version": "v1.88.0", "go": "go1.23.3", "addr": ":8080"}))]
        t = -10800 + r.u(0, 6)
        while t < 0:
            i = int((t + 21600) // 60)
            t += r.u(0.5, 1.5) * 6.0 / load[i]
            nl = surge[i] > 0.3 and r.u() < 0.8
            p = r.choice(pages).replace("{sku}", f"{r.i(10000, 99999)}")
            if nl:
                p = r.choice(["/c/outerwear", "/p/{sku}", "/"]).replace("{sku}", f"{r.i(10000, 99999)}")
                p += ("&" if "?" in p else "?") + "utm_source=newsletter&utm_medium=email&utm_campaign=bf-early-access"
            ms = max(2.0, rt[i] * 1000 * r.u(0.4, 1.6))
            status = 200
            if r.u() < shed[i]:
                status, ms = 503, r.u(0.2, 1.0)
                ev.append((t, json.dumps({"time": iso(t), "level": "WARN", "msg": "load shed",
                                          "inflight": 512, "limit": 512, "path": p})))
            ev.append((t, goaccess(t, r.hex(16), p, status, ms, r.choice(uas))))
            if r.u() < 0.01:
                ev.append((t + 0.3, json.dumps({"time": iso(t + 0.3), "level": "WARN",
                                                "msg": "recommendations timeout, serving defaults",
                                                "upstream": "recs.internal:9000", "timeout_ms": 150})))
        sc.log("/shop-web/app", iid, ev)
    sc.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "shop-web-prod", "release-bot")
    sc.alarm("shop-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, stat="Average",
             period=60, evals=3, threshold=0.5, description="shop-web average target response time", onset=email)
    sc.expect = {"alarm": "shop-web-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "shop-web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.readme = dict(
        category="traffic_surge", accepted=f"{lb} / shop-web",
        decoys="CodeDeploy release v1.88.0 the same morning, 3.8 h before onset and healthy since; constant "
               "recommendations-timeout WARN; load shedding 503s are a symptom",
        story="Marketing sent the Black-Friday early-access newsletter ~36 min ago. Requests tagged "
              "utm_source=newsletter multiplied traffic by ~5.5x; CPU on both Go instances climbed to ~85 % "
              "(not pinned), response time rose from 70 ms to ~1 s and the app started shedding a few "
              "requests with 503. The v1.88.0 deploy hours earlier is innocent.")
    return sc
