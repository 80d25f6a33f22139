"""h52-16: the external carrier rate API behind shipping-svc times out; checkout ALB 5XX alarm fires."""
from __future__ import annotations

import json

from .common import Scenario, alb_dims, ecs_pack, lambda_pack, rds_pack, tg_dims
from .logfmt import logfmt

ALB = "app/checkout-alb/1d9f3b5a7c2e4068"
TG = "targetgroup/checkout-svc-tg/6a2c8e4b0d1f3957"
T_TAX, T_CO, T_SG, T_SHIP, T_OEP = -5000, -2800, -2300, -1900, -1700
ON = -1620
SHIP_SHARE, PH_SHARE, PH_FAIL = 0.4, 0.75, 0.86
CARRIER_URL = "https://api.parcelhub.example/v2/rates"


def build():
    s = Scenario(16, "carrier-rates-timeouts", "us-east-1", "2026-12-14T16:00:00",
                 "Checkout: customers stuck on 'Calculating shipping…' then an error page; the checkout ALB 5XX alarm "
                 "fired in the middle of a pre-holiday afternoon with several deploys.")
    s.resource("alb", ALB, name="checkout-alb", scheme="internet-facing", target_groups=["checkout-svc-tg"])
    s.resource("ecs", "commerce/checkout-svc", launch_type="FARGATE", runtime="Python 3.12 / gunicorn + Falcon",
               desired_count=6, log_groups=["/ecs/checkout-svc"], calls=["shipping-svc", "tax-svc", "commerce-db"])
    s.resource("ecs", "commerce/shipping-svc", launch_type="FARGATE", runtime="Go 1.22", desired_count=4,
               log_groups=["/ecs/shipping-svc"],
               calls=["api.parcelhub.example (external carrier, 8 s client timeout)", "api.swiftpost.example (external)",
                      "commerce-db"])
    s.resource("ecs", "commerce/tax-svc", launch_type="FARGATE", runtime="Kotlin / Ktor", desired_count=3)
    s.resource("rds", "commerce-db", engine="postgres", engine_version="16.4", instance_class="db.r6g.xlarge",
               max_connections=3200, allocated_storage_gb=600)
    s.resource("lambda", "order-events-publisher", runtime="nodejs20.x", timeout=30, memory_size=512)

    req = s.series(lambda t: s.count(930 * s.diurnal(t, 19, 0.2)))
    fail = {t: (s.count(req[t] * SHIP_SHARE * PH_SHARE * PH_FAIL) if t >= ON else 0.0) for t in req}
    t5 = {t: fail[t] + (1.0 if s.rng.random() < 0.1 else 0.0) for t in req}
    trt = {t: 0.21 + s.noise(0.015) + 7.2 * fail[t] / max(req[t], 1) for t in req}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", t5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count",
             s.series(lambda t: 1.0 if s.rng.random() < 0.05 else 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds", trt, nd=4)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             s.series(lambda t: 6.0 + (6 if T_CO <= t < T_CO + 300 else 0)), integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", s.series(lambda t: 0.0), integer=True)
    ecs_pack(s, "commerce", "checkout-svc", {t: 34 + s.noise(2.5) + (15 if T_CO <= t < T_CO + 300 else 0)
                                             - 4 * fail[t] / max(req[t], 1) for t in req},
             {t: 51 + s.noise(1) + 6 * fail[t] / max(req[t], 1) for t in req},
             s.series(lambda t: 6.0 + (6 if T_CO <= t < T_CO + 300 else 0)), s.series(lambda t: 6.0))
    ecs_pack(s, "commerce", "shipping-svc", {t: 17 + s.noise(2) + (4 if t >= ON else 0) for t in req},
             {t: 29 + s.noise(0.8) + (7 if t >= ON else 0) for t in req},
             s.series(lambda t: 3.0 if t < T_SHIP + 60 else 4.0), s.series(lambda t: 3.0 if t < T_SHIP else 4.0))
    ecs_pack(s, "commerce", "tax-svc", s.series(lambda t: 22 + s.noise(2) + (20 if T_TAX <= t < T_TAX + 240 else 0)),
             s.series(lambda t: 61 + s.noise(1)), s.series(lambda t: 3.0), s.series(lambda t: 3.0))
    rds_pack(s, "commerce-db", {t: 31 + s.noise(2.5) - 3 * fail[t] / max(req[t], 1) for t in req},
             s.series(lambda t: 240 + s.noise(8)), s.series(lambda t: 402.0e9 - (t + 21600) * 3000 + s.noise(4e7)),
             s.series(lambda t: 23.0e9 + s.noise(1.5e8)), s.series(lambda t: 0.0009 + abs(s.noise(0.0002))))
    oe = s.series(lambda t: s.count(req[t] * 0.08 if t in req else 70))
    lambda_pack(s, "order-events-publisher", oe, {t: 0.0 for t in oe},
                s.series(lambda t: 62 + s.noise(6) - (8 if t >= T_OEP else 0)))

    # ---- shipping-svc (Go, logfmt)
    def ship_stream(a, b):
        ev = []
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(req[t] * SHIP_SHARE / 4 * 0.05))):
                tt = t + s.rng.uniform(0, 59.9)
                dest = f"US-{s.rng.choice(['CA', 'TX', 'NY', 'FL', 'WA', 'IL'])}" if s.rng.random() < PH_SHARE else \
                    s.rng.choice(["CA-ON", "CA-BC", "MX-CMX"])
                w = s.rng.randint(200, 9000)
                ev.append((tt, logfmt(s, tt, "INFO", "zone lookup", dest=dest, db_ms=s.rng.randint(1, 5))))
                if dest.startswith("US"):
                    if tt >= ON and s.rng.random() < PH_FAIL:
                        if s.rng.random() < 0.82:
                            ev.append((tt + 8.0, logfmt(s, tt + 8.0, "ERROR", "carrier rate request failed", carrier="parcelhub",
                                                        dest=dest, err=f'Post "{CARRIER_URL}": context deadline exceeded '
                                                        "(Client.Timeout exceeded while awaiting headers)", dur_ms=8001)))
                        else:
                            d = s.rng.randint(900, 2500)
                            ev.append((tt + d / 1000, logfmt(s, tt + d / 1000, "ERROR", "carrier rate request failed",
                                                             carrier="parcelhub", dest=dest, status=503, dur_ms=d,
                                                             body='{"error":"upstream_unavailable","message":"Rate service '
                                                                  'temporarily unavailable"}')))
                        ev.append((tt + 8.01, logfmt(s, tt + 8.01, "WARN", "responding 504 to caller", path="/v1/quotes",
                                                     caller="checkout-svc")))
                        continue
                    d = s.rng.randint(140, 420)
                    ev.append((tt + d / 1000, logfmt(s, tt + d / 1000, "INFO", "rate quote", carrier="parcelhub", dest=dest,
                                                     weight_g=w, status=200, dur_ms=d)))
                else:
                    d = s.rng.randint(180, 600)
                    ev.append((tt + d / 1000, logfmt(s, tt + d / 1000, "INFO", "rate quote", carrier="swiftpost",
                                                     dest=dest, weight_g=w, status=200, dur_ms=d)))
        return ev

    for _ in range(3):
        s.log("/ecs/shipping-svc", f"shipping-svc/shipping-svc/{s.hex(32)}", ship_stream(-10800, 0))
    late = ship_stream(T_SHIP + 50, 0)
    late.insert(0, (T_SHIP + 45, logfmt(s, T_SHIP + 45, "INFO", "shipping-svc starting", version="2.14.1",
                                        carriers="parcelhub,swiftpost", carrier_timeout="8s")))
    s.log("/ecs/shipping-svc", f"shipping-svc/shipping-svc/{s.hex(32)}", late)

    # ---- checkout-svc (structlog JSON)
    def sl(t, level, event, **kv):
        rec = {"event": event}
        rec.update(kv)
        rec.update({"level": level, "logger": "checkout", "timestamp": s.iso(t)})
        return json.dumps(rec)

    def co_stream(a, b, version):
        ev = [] if a <= -10800 else [(a + 2, sl(a + 2, "info", "checkout-svc starting", version=version,
                                                shipping_url="http://shipping-svc.commerce:8080", workers=4))]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(req[t] / 6 * 0.03))):
                tt = t + s.rng.uniform(0, 59.9)
                cart = f"cart_{s.hex(10)}"
                if s.rng.random() < SHIP_SHARE:
                    if tt >= ON and s.rng.random() < PH_SHARE * PH_FAIL:
                        ev.append((tt + 8.02, sl(tt + 8.02, "error", "shipping quote failed", upstream="shipping-svc",
                                                 status=504, duration_ms=8012, cart_id=cart)))
                        ev.append((tt + 8.03, sl(tt + 8.03, "info", "request", method="POST",
                                                 path="/checkout/shipping-options", status=502, duration_ms=8030)))
                        continue
                    ev.append((tt + 0.3, sl(tt + 0.3, "info", "shipping options fetched", cart_id=cart,
                                            options=s.rng.randint(2, 4), duration_ms=s.rng.randint(160, 480))))
                    continue
                path = s.rng.choice(["/checkout/cart", "/checkout/address", "/checkout/payment", "/checkout/confirm"])
                ev.append((tt, sl(tt, "info", "request", method="GET" if "cart" in path else "POST", path=path,
                                  status=200, duration_ms=s.rng.randint(40, 260))))
            if s.rng.random() < 0.35:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, sl(tt, "warning", "promo engine returned no eligible promotions", cart_id=f"cart_{s.hex(10)}")))
        return ev

    for _ in range(3):
        s.log("/ecs/checkout-svc", f"checkout-svc/checkout-svc/{s.hex(32)}", co_stream(-10800, T_CO + 290, "7.2.4"))
    for _ in range(3):
        s.log("/ecs/checkout-svc", f"checkout-svc/checkout-svc/{s.hex(32)}", co_stream(T_CO + 40, 0, "7.3.0"))

    # ---- changes
    s.change(T_TAX, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/tax-svc", "spinnaker")
    s.change(T_CO - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-svc:144",
             "spinnaker")
    s.change(T_CO, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/checkout-svc", "spinnaker")
    s.change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0d2f4a6c8e1b3a5c7 (commerce-db)", "netops-v.okoro")
    s.change(T_SHIP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/shipping-svc",
             "oncall-d.ferreira")
    s.change(T_OEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "order-events-publisher", "spinnaker")

    a = s.alarm("checkout-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Sum", 60,
                3, 50, "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("checkout-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Average", 300, 2, 1.5,
            "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("commerce-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "commerce-db"}, "Average",
            300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    res = ["commerce/shipping-svc", "shipping-svc"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "dependency_failure", "resource": res},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": alb_dims(ALB)},
                                  {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="dependency_failure", resources=res,
                where="front (ALB; origin is shipping-svc's external carrier API, two hops down)",
                decoys="checkout-svc 7.3.0 deploy 20 min before onset; manual shipping-svc scale-out 3->4 five minutes "
                       "before onset; commerce-db security-group ingress edit; tax-svc deploy; order-events-publisher "
                       "deploy; a second alarm (latency) on the same ALB; steady promo-engine WARN",
                story="At -27 min the external ParcelHub rate API starts hanging: shipping-svc's calls to "
                      f"{CARRIER_URL} end in `context deadline exceeded (Client.Timeout exceeded while awaiting "
                      "headers)` after its 8 s client timeout, or in 503 `upstream_unavailable`, for US destinations only. "
                      "SwiftPost quotes (Canada/Mexico) and commerce-db lookups stay fast. shipping-svc answers 504 and "
                      "checkout-svc turns that into 502 on /checkout/shipping-options, so the ALB's target 5XX and "
                      "latency alarms fire. checkout-svc 7.3.0 ran cleanly for 20 minutes and only relays shipping-svc's "
                      "504s; the extra shipping-svc task and the DB ingress rule do not affect outbound calls. The "
                      "failing dependency is outside the account, so the origin resource is the service that depends "
                      "on it: dependency_failure at shipping-svc.")
    return doc, meta
