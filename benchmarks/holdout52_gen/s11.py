"""h52-11: a Black Friday flash-sale email + push blast multiplies storefront traffic five-fold."""
from __future__ import annotations

import json

from .common import (Scenario, alb_dims, apigw_pack, ecs_pack, lambda_pack, rds_pack, sig, tg_dims)

ALB = "app/loja-web-alb/2b7e9d1c4a6f3085"
TG = "targetgroup/web-bff-tg/7c3a9e1d5b2f4068"
BLAST = -2100
SCALE = ((-1980, 10), (-1740, 16), (-1500, 24))
T_MORNING, T_COUPON, T_REP, T_IDLE, T_IAM = -9000, -2400, -1900, -1200, -600


def tasks_at(t):
    n = 6
    for x, k in SCALE:
        if t >= x + 60:
            n = k
    return n


def build():
    s = Scenario(11, "flash-sale-traffic-surge", "sa-east-1", "2026-11-27T13:05:00",
                 "Black Friday morning: the store is slow for everyone (pages take 1-2 s or more); the ALB "
                 "latency alarm fired.")
    s.resource("alb", ALB, name="loja-web-alb", scheme="internet-facing", target_groups=["web-bff-tg"],
               idle_timeout_seconds=60)
    s.resource("ecs", "loja/web-bff", launch_type="FARGATE", cpu=1024, memory=2048, runtime="Node.js 20 / Express",
               autoscaling="target tracking CPU 60 %, min 6, max 24", log_groups=["/ecs/web-bff"])
    s.resource("ecs", "loja/catalog", launch_type="FARGATE", cpu=2048, memory=4096, runtime="Java 21", desired_count=8)
    s.resource("rds", "loja-db", engine="postgres", engine_version="16.4", instance_class="db.r6g.2xlarge",
               max_connections=3000, allocated_storage_gb=800)
    s.resource("rds", "loja-reporting-db", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=1000)
    s.resource("lambda", "coupon-validator", runtime="nodejs20.x", timeout=5, memory_size=512)
    s.resource("apigateway", "loja-partners-api", api_id="f4h8k2n6q0", stage="prod")

    base = s.series(lambda t: 2450 * s.diurnal(t, 18, 0.2) / s.diurnal(-21600, 18, 0.2))
    surge = {t: 1 + 3.4 * sig(t, BLAST + 120, 70) * (1 - 0.12 * max(0, (t - BLAST - 600)) / 1500) for t in base}
    req = {t: s.count(base[t] * surge[t]) for t in base}
    tasks = {t: float(tasks_at(t)) for t in base}
    cpu = {t: min(99.5, 37 * (req[t] / tasks[t]) / 410 + s.noise(2.2)) for t in base}
    over = {t: max(0.0, cpu[t] - 85) / 15 for t in base}
    load = {t: (req[t] / base[t] - 1) / 3.4 for t in base}
    trt = {t: 0.176 + s.noise(0.012) + 0.95 * max(0.0, load[t]) + 1.6 * over[t] for t in base}
    e_elb = {t: s.count(req[t] * (0.004 * over[t] + 0.0006 * max(0.0, load[t]))) for t in base}
    e_tgt = {t: s.count(req[t] * 0.0009 * max(0.2, load[t])) for t in base}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds", trt, nd=4)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count", e_elb, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", e_tgt, integer=True)
    s.metric("AWS/ApplicationELB", "ActiveConnectionCount", alb_dims(ALB), "Count",
             {t: req[t] * 0.9 + s.noise(100) for t in base}, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             {t: float(tasks_at(t - 60)) for t in base}, integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", {t: 0.0 for t in base}, integer=True)
    ecs_pack(s, "loja", "web-bff", cpu, {t: 46 + s.noise(1.2) + 9 * max(0.0, load[t]) for t in base},
             {t: float(tasks_at(t - 60)) for t in base}, tasks)
    ecs_pack(s, "loja", "catalog", {t: 24 + 41 * max(0.0, load[t]) + s.noise(2) for t in base},
             s.series(lambda t: 58 + s.noise(1)), s.series(lambda t: 8.0), s.series(lambda t: 8.0))
    rds_pack(s, "loja-db", {t: 19 + 38 * max(0.0, load[t]) + s.noise(2) for t in base},
             {t: 310 + 300 * max(0.0, load[t]) + s.noise(10) for t in base},
             s.series(lambda t: 522.0e9 - (t + 21600) * 5000 + s.noise(4e7)), s.series(lambda t: 38.0e9 + s.noise(2e8)),
             {t: 0.0009 + 0.0021 * max(0.0, load[t]) + abs(s.noise(0.0002)) for t in base})
    rds_pack(s, "loja-reporting-db", s.series(lambda t: 31 + s.noise(4) + (15 if T_REP <= t < T_REP + 400 else 0)),
             s.series(lambda t: None if T_REP + 60 <= t < T_REP + 180 else 24 + s.noise(2)),
             s.series(lambda t: 611.0e9 + s.noise(5e7)), s.series(lambda t: 9.2e9 + s.noise(8e7)))
    cv = {t: s.count(req[t] * 0.03) for t in base}
    lambda_pack(s, "coupon-validator", cv, {t: s.count(cv[t] * 0.002) for t in base},
                {t: 41 + s.noise(4) + 9 * max(0.0, load[t]) for t in base})
    pc = s.series(lambda t: s.count(140))
    apigw_pack(s, "loja-partners-api", pc, {t: s.count(2) for t in pc}, {t: 0.0 for t in pc},
               s.series(lambda t: 88 + s.noise(8)))

    # ---- web-bff logs (winston JSON)
    def w(t, level, msg, **kv):
        rec = {"level": level, "message": msg, "service": "web-bff", "timestamp": s.iso(t)}
        rec.update(kv)
        return json.dumps(rec, separators=(",", ":"))

    paths = ["/api/home", "/api/busca?q=tenis", "/api/produtos/{}", "/api/carrinho", "/api/frete?cep=0{}-000"]
    camp = ["utm_source=email&utm_campaign=bf-relampago-1030", "utm_source=push&utm_campaign=bf-relampago-1030",
            "utm_source=instagram&utm_campaign=bf-relampago-1030"]

    def stream(a, b, version):
        ev = [] if a <= -10800 else [(a + 4, w(a + 4, "info", f"web-bff {version} listening on :8080", pid=1))]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            per = req[t] / tasks[t]
            n = int(s.count(per * 0.012))
            for _ in range(n):
                tt = t + s.rng.uniform(0, 59.9)
                if t >= BLAST and s.rng.random() < 0.8 * sig(t, BLAST + 120, 70):
                    p = f"/ofertas/relampago?{s.rng.choice(camp)}"
                else:
                    p = s.rng.choice(paths).format(s.rng.randint(1000, 9999))
                ms = int((trt[t] * 1000) * s.rng.uniform(0.4, 1.8))
                code = 200 if s.rng.random() > 0.002 else 504
                ev.append((tt, w(tt, "info" if code == 200 else "error", f"GET {p} {code} {ms}ms", reqId=s.hex(12))))
            if s.rng.random() < 0.3:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, w(tt, "warn", "feature flag service unreachable, using cached defaults",
                                 flags_age_s=s.rng.randint(30, 600))))
            if t >= BLAST + 60 and s.rng.random() < 0.6:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, w(tt, "warn", f"slow upstream catalog {int(600 + 900 * load[t] * s.rng.uniform(0.6, 1.3))}ms",
                                 route="/ofertas/relampago", inflight=s.rng.randint(80, 260))))
            if over[t] > 0.2 and s.rng.random() < 0.7:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, w(tt, "warn", f"event loop delay p99 {s.rng.randint(180, 420)}ms")))
        return ev

    for _ in range(3):
        s.log("/ecs/web-bff", f"web-bff/web-bff/{s.hex(32)}", stream(T_MORNING + 60, 0, "2026.11.27-1"))
    for x, _k in SCALE:
        s.log("/ecs/web-bff", f"web-bff/web-bff/{s.hex(32)}", stream(x + 50, 0, "2026.11.27-1"))

    # ---- changes
    s.change(T_MORNING, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "loja/web-bff", "github-actions")
    s.change(T_COUPON, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "coupon-validator", "github-actions")
    for x, _k in SCALE:
        s.change(x, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "loja/web-bff",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.change(T_REP, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loja-reporting-db", "dba-m.souza")
    s.change(T_IDLE, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
             "AWS::ElasticLoadBalancingV2::LoadBalancer", ALB, "oncall-b.carvalho")
    s.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ci-deployer-role", "terraform-ci")

    a = s.alarm("loja-web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Average", 60, 5, 0.8,
                "GreaterThanThreshold", expect_state="ALARM", description="Storefront average latency > 800 ms")
    s.alarm("loja-web-bff-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "loja", "ServiceName": "web-bff"},
            "Average", 300, 2, 85, "GreaterThanThreshold", expect_state="OK")
    s.alarm("loja-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "loja-db"}, "Average", 300, 3, 80,
            "GreaterThanThreshold", expect_state="OK")
    res = ["loja-web-alb", ALB, "loja/web-bff", "web-bff"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "traffic_surge", "resource": res},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": alb_dims(ALB)},
                                  {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="traffic_surge", resources=res,
                where="origin = front (the ALB/web tier receiving the surge)",
                decoys="coupon-validator deploy 5 min before the blast; web-bff CPU alarm that fired and recovered; three automatic scale-outs of web-bff; "
                       "loja-reporting-db ModifyDBInstance (brief metric gap); on-call idle-timeout change on the "
                       "same ALB after onset; IAM edit on the CI role; morning web-bff deploy; steady feature-flag WARN",
                story="At 12:30 UTC (09:30 in São Paulo) an email and push campaign for a flash sale goes out: ALB "
                      "RequestCount jumps from about 3,000 to about 13,000 a minute within six minutes and log lines "
                      "for /ofertas/relampago carry the bf-relampago-1030 campaign tags. web-bff CPU pins for about "
                      "ten minutes (its CPU alarm goes to ALARM and back to OK) until target tracking scales it "
                      "6 -> 10 -> 16 -> 24 tasks, then settles around 50 %. "
                      "Catalog, loja-db CPU and read latency rise with the volume but stay below any limit, and error "
                      "rates stay small, while the average response time stays above 1 s. Nothing is broken and no "
                      "change explains the volume (the coupon deploy's errors are flat, and the ALB and DB changes "
                      "are unrelated or came after). Label: traffic_surge at the storefront front.")
    return doc, meta
