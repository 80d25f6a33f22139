"""h44-12: search ALB latency; an aggressive crawler multiplies request volume ~7x, nothing is broken."""
from __future__ import annotations

import math

from .common import TIMES, Rng, Scenario, diurnal, iso, ramp
from .kit import alb_metrics, py_info, sim_lambda

REGION = "us-east-1"
LB = "app/search-alb/3c5e7a9b1d2f4068"
TG = "targetgroup/search-web-tg/7b9d1f3a5c2e4680"
T0 = -2100
BOTS = ["47.128.22.14", "47.128.22.17", "47.128.23.201", "47.128.31.9"]


def build() -> dict:
    rng = Rng(4412)
    sc = Scenario("h44-12-search-crawler-surge", REGION,
                  "Site search slow for shoppers; search ALB target latency alarm fired.")
    sc.res("alb", LB, name="search-alb", scheme="internet-facing", web_acl="none",
           listeners=[{"port": 443, "protocol": "HTTPS", "default_action": "forward to search-web-tg"}],
           target_groups=[{"name": "search-web-tg", "id": TG, "port": 8000, "target_type": "ip",
                           "deregistration_delay_s": 60, "health_check": {"path": "/healthz", "interval_s": 15}}])
    sc.res("ecs", "search/search-web", cluster="search", service_name="search-web", launch_type="FARGATE",
           task_definition="search-web:58", desired_count=6, autoscaling={"min": 6, "max": 12, "target_cpu": 60},
           runtime="Python 3.12, FastAPI + uvicorn", load_balancers=[{"target_group": "search-web-tg", "container_port": 8000}],
           environment={"OPENSEARCH_URL": "https://vpc-catalog-search-4kq2m7x1.us-east-1.es.amazonaws.com",
                        "UVICORN_LIMIT_CONCURRENCY": "64", "SEARCH_TIMEOUT_MS": "2500", "WEB_CONCURRENCY": "4"})
    sc.res("lambda", "search-indexer", runtime="python3.12", timeout=300, memory_size=1024,
           environment={"OPENSEARCH_URL": "https://vpc-catalog-search-4kq2m7x1.us-east-1.es.amazonaws.com", "BATCH": "500"})

    f = lambda t: ramp(t, T0, 300)
    human = lambda t: 2050 * diurnal(t, 0.18, -5000)
    bot = lambda t: 12300 * f(t) * (1 + 0.05 * ((t // 60) % 3 - 1))
    desired = lambda t: 6 if t < T0 + 240 else min(12, 6 + int((t - T0 - 240) / 150) * 2)
    pm = {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count",
                          "HTTPCode_ELB_5XX_Count", "TargetResponseTime", "NewConnectionCount", "HealthyHostCount",
                          "UnHealthyHostCount")}
    load = {}
    for t in TIMES:
        h, b = rng.poisson(human(t)), rng.poisson(bot(t))
        n = h + b
        per_task = n / desired(t)
        load[t] = per_task
        over = max(0.0, per_task / 340.0 - 1.0)        # ~340 req/min per task before queueing
        rt = 0.092 * (1 + 7.5 * over ** 1.3) if over else rng.gauss(0.092, 0.007)
        e503 = int(n * min(0.06, 0.03 * over)) if over else rng.poisson(0.3)
        e4 = rng.poisson(h * 0.008 + b * 0.03)
        pm["RequestCount"][t] = n
        pm["TargetResponseTime"][t] = rt * rng.uniform(0.95, 1.05)
        pm["HTTPCode_Target_5XX_Count"][t] = e503
        pm["HTTPCode_Target_4XX_Count"][t] = e4
        pm["HTTPCode_Target_2XX_Count"][t] = n - e503 - e4
        pm["HTTPCode_ELB_5XX_Count"][t] = rng.poisson(0.1 + 0.5 * f(t))
        pm["NewConnectionCount"][t] = rng.poisson(h * 0.3 + b * 0.02)
        pm["HealthyHostCount"][t] = desired(t) if t < T0 + 240 else max(6, desired(t) - (1 if (t // 60) % 5 == 0 else 0))
        pm["UnHealthyHostCount"][t] = 0
    alb_metrics(sc, LB, TG, pm)
    dims = {"ClusterName": "search", "ServiceName": "search-web"}
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent",
              [[t, round(6 + 70 * (1 - math.exp(-load[t] / 1000)) + rng.gauss(0, 2), 3)] for t in TIMES])
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", [[t, round(44 + 0.012 * load[t] + rng.gauss(0, 0.6), 3)] for t in TIMES])
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", [[t, float(desired(t))] for t in TIMES])

    # per-task traffic reporter (the service logs a per-minute top-talkers summary)
    tasks = [(rng.hexs(32), -30000) for _ in range(6)] + [(rng.hexs(32), T0 + 300 + 150 * (k // 2)) for k in range(6)]
    for tid, start in tasks:
        ev = []
        if start > -10800:
            ev.append((start, f"INFO:     Started server process [{rng.randint(7, 9)}]"))
            ev.append((start + 0.4, "INFO:     Waiting for application startup."))
            ev.append((start + 1.2, "INFO:     Application startup complete."))
            ev.append((start + 1.3, "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)"))
        for m in range(max(-10800, int(start // 60) * 60 + 60), 0, 60):
            if desired(m) <= tasks.index((tid, start)):
                continue
            per = load[m]
            hshare = human(m) / (human(m) + bot(m))
            top = []
            if bot(m) > 50:
                w = [0.31, 0.27, 0.24, 0.18]
                top = [f"{ip}:{int(per * (1 - hshare) * wi * rng.uniform(0.9, 1.1))}" for ip, wi in zip(BOTS, w)]
            else:
                top = [f"{rng.ip('73.' + str(rng.randint(10, 200)))}:{rng.randint(3, 9)}" for _ in range(2)]
            ua = "Bytespider" if bot(m) > 50 else "Chrome/122"
            tt = m + rng.uniform(0, 2)
            ev.append((tt, f'{{"ts":"{iso(tt)}","level":"info","logger":"search_web.traffic","msg":"60s traffic",'
                           f'"requests":{int(per * rng.uniform(0.95, 1.05))},"p95_ms":{int(1000 * pm["TargetResponseTime"][m] * 2.1)},'
                           f'"rejected_503":{int(pm["HTTPCode_Target_5XX_Count"][m] / desired(m))},"top_clients":"{",".join(top)}",'
                           f'"top_user_agent":"{ua}","opensearch_p95_ms":{int(70 + 0.25 * per)}}}'))
            if rng.random() < 0.2:
                tw = m + rng.uniform(5, 55)
                ev.append((tw, f'{{"ts":"{iso(tw)}","level":"warning","logger":"search_web.query","msg":"slow facet aggregation",'
                               f'"facet":"brand","took_ms":{rng.randint(900, 1400)},"q":"{rng.choice(["shoes", "led", "kids", "sofa"])}"}}'))
        sc.log("/ecs/search-web", f"search-web/search-web/{tid}", ev)

    def idx_body(t, rid, is_err, d):
        return [(0.02, py_info(t, rid, f"indexed {rng.randint(300, 500)} docs into catalog-v42 in {int(d)} ms"))], None
    sim_lambda(sc, rng, "search-indexer", rate=lambda t: 2.0, dur=lambda t, e: rng.gauss(4200, 600), body=idx_body,
               memory=1024, mem_used=(300, 340), log_from=-7200, streams=1)

    sc.change(-7000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "search-indexer", "gh-actions-search")
    sc.change(-2500, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup",
              f"arn:aws:elasticloadbalancing:{REGION}:482913650174:{TG}", "p.ivanova")
    for k in range(3):
        sc.change(T0 + 240 + 150 * k, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "search/search-web",
                  "application-autoscaling.amazonaws.com")
    sc.alarm("search-alb-target-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3, 0.4,
             "GreaterThanThreshold", "ALARM", T0 + 300, description="search p-avg latency > 400 ms")
    sc.alarm("search-web-cpu-high", "AWS/ECS", "CPUUtilization", dims, "Average", 300, 3, 95, "GreaterThanThreshold", "OK", -500000)
    sc.expect("search-alb-target-latency", "traffic_surge", ["search-alb", LB, "search/search-web", "search-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}},
               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": LB}}])
    return sc.done()
