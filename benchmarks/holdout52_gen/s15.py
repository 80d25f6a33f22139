"""h52-15: a listener-rule edit sends /v1/stock/* to an empty canary target group (ALB 503)."""
from __future__ import annotations

from .common import Scenario, alb_dims, apigw_pack, ec2_pack, lambda_pack, rds_pack, tg_dims
from .logfmt import nginx

ALB = "app/inventory-alb/4f8a2c6e0b3d9175"
TG = "targetgroup/inventory-ec2-tg/1a2b3c4d5e6f7081"
CANARY = "targetgroup/inventory-canary-tg/9e8d7c6b5a4f3021"
T_REFRESH, T_DB, T_API, T_TG, T_RULE, T_REC = -3600, -3000, -2400, -2000, -1250, -700
ON = T_RULE + 6
STOCK = 0.4
OLD = ["i-0a1f3e5c7b9d20468", "i-0b2e4d6f8a1c35790", "i-0c3d5f7a9b2e46801"]
NEW = ["i-0d4c6e8a0b3f57912", "i-0e5b7d9f1c4a68023", "i-0f6a8c0e2d5b79134"]
REPL = [(-3540, -3420), (-3300, -3180), (-3060, -2940)]     # (new instance in service, old instance terminated)


def build():
    s = Scenario(15, "inventory-canary-listener-rule", "ap-southeast-1", "2026-06-17T22:50:00",
                 "Store apps cannot load stock levels ('Service Temporarily Unavailable'); the inventory-api 5XX alarm "
                 "fired during an evening of platform maintenance.")
    s.resource("apigateway", "inventory-api", api_id="c8v2b6n0m4", stage="prod",
               integration="HTTP_PROXY https://inventory-alb-1630842097.ap-southeast-1.elb.amazonaws.com/{proxy}")
    s.resource("alb", ALB, name="inventory-alb", scheme="internet-facing",
               target_groups=["inventory-ec2-tg (3 targets)", "inventory-canary-tg (0 targets)"],
               listener_rules=["priority 10: path /v1/stock/* -> forward", "default -> inventory-ec2-tg"])
    for i, iid in enumerate(NEW):
        s.resource("ec2", iid, name=f"inventory-web-{i + 1}", instance_type="c7g.large",
                   autoscaling_group="inventory-web-asg", ami="ami-0f3e2d1c4b5a69788 (inventory-2026.06.17)",
                   log_groups=["/inventory/nginx/access", "/inventory/app"])
    s.resource("rds", "inventory-db", engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=300)
    s.resource("lambda", "stock-reconciler", runtime="python3.12", timeout=300, memory_size=512)

    api_c = s.series(lambda t: s.count(1650 * s.diurnal(t, 12, 0.3)))
    bad = {t: (s.count(api_c[t] * STOCK) if t >= ON else 0.0) for t in api_c}
    ok = {t: api_c[t] - bad[t] for t in api_c}
    apigw_pack(s, "inventory-api", api_c, {t: s.count(api_c[t] * 0.01) for t in api_c},
               {t: bad[t] + (1.0 if s.rng.random() < 0.05 else 0.0) for t in api_c},
               {t: (48 + s.noise(4)) * ok[t] / api_c[t] + 14 * bad[t] / api_c[t] for t in api_c},
               {t: (36 + s.noise(4)) * ok[t] / api_c[t] + 3 * bad[t] / api_c[t] for t in api_c})
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", api_c, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count", bad, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", alb_dims(ALB), "Count", bad, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count",
             s.series(lambda t: 1.0 if s.rng.random() < 0.05 else 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds",
             s.series(lambda t: 0.031 + s.noise(0.003)), nd=4)
    s.metric("AWS/ApplicationELB", "RequestCount", tg_dims(ALB, TG), "Count", ok, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             s.series(lambda t: 4.0 if any(a <= t < b for a, b in REPL) else 3.0), integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", s.series(lambda t: 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, CANARY), "Count",
             s.series(lambda t: 0.0 if t >= T_TG else None), integer=True)

    def per_host(t):
        return ok[t] / 3

    for k, (old, new) in enumerate(zip(OLD, NEW)):
        a, b = REPL[k]
        ec2_pack(s, old, s.series(lambda t: None if t >= b else 24 * per_host(t) / 550 + s.noise(2)),
                 s.series(lambda t: None if t >= b else per_host(t) * 3200 + s.noise(1e5)),
                 s.series(lambda t: None if t >= b else 0.0))
        ec2_pack(s, new, s.series(lambda t: None if t < a - 90 else (60 if t < a else 23 * per_host(t) / 550 + s.noise(2))),
                 s.series(lambda t: None if t < a - 90 else per_host(t) * 3200 + s.noise(1e5)),
                 s.series(lambda t: None if t < a - 90 else 0.0),
                 mem=s.series(lambda t: None if t < a - 90 else 38 + s.noise(0.6)))
    rds_pack(s, "inventory-db", {t: 17 + 10 * ok[t] / 1650 + s.noise(1.5) for t in api_c},
             s.series(lambda t: 92 + s.noise(3)),
             s.series(lambda t: (61.0e9 if t < T_DB + 300 else 168.0e9) - (t + 21600) * 1500 + s.noise(3e7)),
             s.series(lambda t: 6.8e9 + s.noise(6e7)), s.series(lambda t: 0.0008 + abs(s.noise(0.0002))))
    rc = s.series(lambda t: 1.0 if t % 900 == 0 else None)
    lambda_pack(s, "stock-reconciler", rc, {t: 0.0 for t in rc}, {t: 52000 + s.noise(4000) for t in rc},
                conc={t: 1.0 for t in rc})

    # ---- nginx + app logs on the live instances (stock paths vanish after the rule edit)
    stock_paths = ["/v1/stock/SKU-{}", "/v1/stock/SKU-{}?store=SG{}", "/v1/stock/bulk"]
    other = ["/v1/products/SKU-{}", "/v1/stores/SG{}/hours", "/v1/reservations", "/healthz"]
    for k, iid in enumerate(OLD + NEW):
        is_new = k >= 3
        a, b = REPL[k % 3]
        t0, t1 = (a - 60, 0) if is_new else (-10800, b - 30)
        acc, app = [], []
        for t in range(int(t0) // 60 * 60 + 60, int(t1), 60):
            for _ in range(int(s.count(4))):
                tt = t + s.rng.uniform(0, 59.9)
                stock = s.rng.random() < STOCK
                if stock and tt >= ON:
                    continue
                p = s.rng.choice(stock_paths if stock else other).format(s.rng.randint(10000, 99999), s.rng.randint(1, 40))
                rt = s.rng.uniform(0.004, 0.06)
                acc.append((tt, nginx(s, tt, f"10.12.{s.rng.randint(0, 3)}.{s.rng.randint(2, 250)}", "GET", p, 200,
                                      s.rng.randint(200, 5000), rt, ua="AmazonAPIGateway_c8v2b6n0m4", upstream=rt - 0.001)))
            if s.rng.random() < 0.5:
                tt = t + s.rng.uniform(0, 59.9)
                acc.append((tt, nginx(s, tt, "10.12.0.14", "GET", "/healthz", 200, 15, 0.001, ua="ELB-HealthChecker/2.0",
                                      upstream=0.001)))
            if s.rng.random() < 0.2:
                tt = t + s.rng.uniform(0, 59.9)
                app.append((tt, f"[{s.stamp(tt, '%Y-%m-%d %H:%M:%S %z')}] [{s.rng.randint(900, 999)}] [WARNING] "
                                "stock cache for store SG07 is stale (age 412s), serving last known levels"))
        if is_new:
            app.insert(0, (a - 80, f"[{s.stamp(a - 80, '%Y-%m-%d %H:%M:%S %z')}] [812] [INFO] Starting gunicorn 22.0.0"))
            app.insert(1, (a - 79, f"[{s.stamp(a - 79, '%Y-%m-%d %H:%M:%S %z')}] [812] [INFO] Listening at: "
                                   "http://127.0.0.1:8000 (812)"))
        s.log("/inventory/nginx/access", iid, acc)
        s.log("/inventory/app", iid, app)

    # ---- API Gateway execution log (ERROR level shows integration 503s)
    ev = []
    for t, c in bad.items():
        for _ in range(int(c * 0.03)):
            tt = t + s.rng.uniform(0, 59)
            r = s.uuid()
            ev += [(tt, f"({r}) Received response. Status: 503, Integration latency: {s.rng.randint(1, 4)} ms"),
                   (tt + 0.001, f"({r}) Endpoint response body before transformations: <html>\r\n<head><title>503 Service "
                                "Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily "
                                "Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"),
                   (tt + 0.002, f"({r}) Method completed with status: 503")]
    s.log("API-Gateway-Execution-Logs_c8v2b6n0m4/prod", "c8v2b6n0m4-prod", ev)

    # ---- changes
    s.change(T_REFRESH, "autoscaling.amazonaws.com", "StartInstanceRefresh", "AWS::AutoScaling::AutoScalingGroup",
             "inventory-web-asg", "platform-pipeline")
    for k, (a, b) in enumerate(REPL):
        s.change(a - 120, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", NEW[k], "autoscaling.amazonaws.com")
        s.change(b, "ec2.amazonaws.com", "TerminateInstances", "AWS::EC2::Instance", OLD[k], "autoscaling.amazonaws.com")
    s.change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "inventory-db", "dba-w.tan")
    s.change(T_API, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "inventory-api",
             "platform-pipeline")
    s.change(T_TG, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
             CANARY, "j.park")
    s.change(T_RULE, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             "app/inventory-alb/4f8a2c6e0b3d9175/5b1d3f7a9c2e4068/8c1e5a9d3b7f2046", "j.park")
    s.change(T_REC, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "stock-reconciler",
             "platform-pipeline")

    a = s.alarm("inventory-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "inventory-api"}, "Sum", 60, 3, 20,
                "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("inventory-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Sum", 60, 3, 20,
            "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("inventory-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "inventory-db"}, "Average",
            300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    res = ["inventory-alb", ALB]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "config_change", "resource": res},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                   "dimensions": alb_dims(ALB)},
                                  {"namespace": "AWS/ApiGateway", "name": "5XXError",
                                   "dimensions": {"ApiName": "inventory-api"}}]})
    meta = dict(alarm=a["name"], category="config_change", resources=res,
                where="front (API Gateway; origin is the ALB listener rule one hop down)",
                decoys="ASG instance refresh replacing all three web hosts (RunInstances/TerminateInstances, metric "
                       "series ending and starting); inventory-db storage modification; inventory-api CreateDeployment; "
                       "CreateTargetGroup for the canary; stock-reconciler deploy after onset; steady stale-cache WARN",
                story="The evening's big work is an instance refresh of inventory-web-asg (three hosts replaced one by "
                      "one, all healthy), an RDS storage increase and an API redeploy. The small change is a console "
                      "ModifyRule by j.park on inventory-alb's listener: the /v1/stock/* rule now forwards to the "
                      "freshly created inventory-canary-tg, which has no registered targets. Six seconds later the ALB "
                      "starts answering those requests itself with 503 (HTTPCode_ELB_503), API Gateway relays them "
                      "('Received response. Status: 503 ... 503 Service Temporarily Unavailable') and stock paths "
                      "vanish from the hosts' nginx logs, whose health and CPU are fine. Label: config_change on "
                      "inventory-alb.")
    return doc, meta
