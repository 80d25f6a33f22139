"""h44-10: commerce ALB 502s; new checkout-svc image panics on promos without a schedule."""
from __future__ import annotations

import json

from .common import ACCOUNT, TIMES, Rng, Scenario, diurnal, iso, ramp, slash_ts, spread
from .kit import alb_metrics, ecs_util

REGION = "us-west-2"
LB = "app/commerce-alb/8b2d4f6a0c1e3957"
TG_CO = "targetgroup/checkout-svc-tg/5e7a9c1b3d2f4068"
TG_CART = "targetgroup/cart-svc-tg/1a3c5e7f9b2d4680"
DEPLOY = -1950
T0 = DEPLOY + 45          # first new task takes traffic


def _slog(t, level, msg, **kw):
    rec = {"time": iso(t), "level": level, "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def _panic(t, rng):
    return (f"{slash_ts(t)} http: panic serving 10.12.{rng.randint(1, 3)}.{rng.randint(5, 250)}:{rng.randint(30000, 65000)}: "
            "runtime error: invalid memory address or nil pointer dereference\n"
            f"goroutine {rng.randint(10000, 99999)} [running]:\nnet/http.(*conn).serve.func1()\n"
            "\t/usr/local/go/src/net/http/server.go:1898 +0xbe\npanic({0x9a3b40?, 0xf1e2a0?})\n"
            "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
            "github.com/acme/checkout-svc/internal/promo.(*Engine).Apply(0xc0001a2c30, {0xb81d28, 0xc00a3e1f50}, 0xc0098d2a80)\n"
            "\t/src/internal/promo/engine.go:142 +0x1d4\n"
            "github.com/acme/checkout-svc/internal/api.(*Handler).PlaceOrder(0xc000118e00, {0xb80f60, 0xc00b17e0e0}, 0xc00a3e1d40)\n"
            "\t/src/internal/api/orders.go:88 +0x3a5\nnet/http.HandlerFunc.ServeHTTP(...)\n"
            "\t/usr/local/go/src/net/http/server.go:2166 +0x29\n"
            f"created by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4")


def build() -> dict:
    rng = Rng(4410)
    sc = Scenario("h44-10-checkout-go-panic-502", REGION,
                  "Some customers get a 502 Bad Gateway when placing an order; commerce ALB 5XX alarm.")
    sc.res("alb", LB, name="commerce-alb", scheme="internet-facing",
           security_groups=[{"id": "sg-0d5f7b9a1c3e24681", "name": "commerce-alb-sg",
                             "inbound": ["tcp 443 from 0.0.0.0/0", "tcp 443 from 198.51.100.0/24 (partner kiosk network)"]}],
           listeners=[{"port": 443, "protocol": "HTTPS", "rules": ["path /checkout/* -> checkout-svc-tg",
                                                                 "path /cart/* -> cart-svc-tg", "default -> cart-svc-tg"]}],
           target_groups=[{"name": "checkout-svc-tg", "id": TG_CO, "port": 8080, "target_type": "ip"},
                          {"name": "cart-svc-tg", "id": TG_CART, "port": 8080, "target_type": "ip"}])
    sc.res("ecs", "commerce/checkout-svc", cluster="commerce", service_name="checkout-svc", launch_type="FARGATE",
           task_definition="checkout-svc:89", previous_task_definition="checkout-svc:88", desired_count=5,
           image=f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/checkout-svc:v2.31.0", previous_image="checkout-svc:v2.30.4",
           runtime="Go 1.22 net/http", deployment={"strategy": "rolling", "minimum_healthy_percent": 100, "maximum_percent": 200},
           environment={"PAYMENTS_URL": "http://payments.commerce.local:8080", "PROMO_RULES_BUCKET": "acme-promo-rules-prod",
                        "LOG_FORMAT": "json"}, log_group="/ecs/checkout-svc")
    sc.res("ecs", "commerce/cart-svc", cluster="commerce", service_name="cart-svc", launch_type="FARGATE",
           task_definition="cart-svc:212", desired_count=6, runtime="Go 1.22")

    f = lambda t: ramp(t, T0, 170)            # share of checkout traffic on the new tasks
    co_base = lambda t: 310 * diurnal(t, 0.2, -4000)
    cart_base = lambda t: 1000 * diurnal(t, 0.2, -4000)
    pm = {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count",
                          "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count", "TargetResponseTime")}
    tg_req = {TG_CO: [], TG_CART: []}
    panics, orders = [], []
    for t in TIMES:
        nco, ncart = rng.poisson(co_base(t)), rng.poisson(cart_base(t))
        n_place = rng.poisson(co_base(t) * 0.38)
        n_panic = 0
        for ti in spread(rng, t, n_place):
            if rng.random() < 0.31 * f(ti):
                panics.append(ti)
                n_panic += 1
            else:
                orders.append(ti)
        e4 = rng.poisson((nco + ncart) * 0.01)
        e5 = rng.poisson(0.6)
        pm["RequestCount"][t] = nco + ncart
        pm["HTTPCode_ELB_502_Count"][t] = n_panic
        pm["HTTPCode_ELB_5XX_Count"][t] = n_panic + rng.poisson(0.1)
        pm["HTTPCode_Target_4XX_Count"][t] = e4
        pm["HTTPCode_Target_5XX_Count"][t] = e5
        pm["HTTPCode_Target_2XX_Count"][t] = nco + ncart - n_panic - e4 - e5
        pm["TargetResponseTime"][t] = rng.gauss(0.071, 0.006)
        tg_req[TG_CO].append([t, float(nco)])
        tg_req[TG_CART].append([t, float(ncart)])
    alb_metrics(sc, LB, None, pm)
    for tg, pts in tg_req.items():
        sc.metric("AWS/ApplicationELB", "RequestCount", {"TargetGroup": tg, "LoadBalancer": LB}, "Count", pts)
        sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"TargetGroup": tg, "LoadBalancer": LB}, "Count",
                  [[t, 5.0 if tg == TG_CO and not DEPLOY < t < DEPLOY + 240 else (10.0 if tg == TG_CO else 6.0)] for t in TIMES])
    ecs_util(sc, rng, "commerce", "checkout-svc", cpu=lambda t: 31 * diurnal(t, 0.2, -4000), mem=lambda t: 34.0,
             running=lambda t: 10 if DEPLOY < t < DEPLOY + 240 else 5)
    ecs_util(sc, rng, "commerce", "cart-svc", cpu=lambda t: 26 * diurnal(t, 0.2, -4000), mem=lambda t: 29.0, running=lambda t: 6)

    # checkout-svc logs: old tasks (v2.30.4) until DEPLOY+200, new tasks (v2.31.0) afterwards
    old = [rng.hexs(32) for _ in range(5)]
    new = [rng.hexs(32) for _ in range(5)]
    ev = {tid: [] for tid in old + new}
    for k, tid in enumerate(new):
        s0 = DEPLOY + 20 + k * 6
        ev[tid].append((s0, _slog(s0, "INFO", "starting checkout-svc", version="v2.31.0", commit="9f3e1ab", go="go1.22.1")))
        ev[tid].append((s0 + 1.1, _slog(s0 + 1.1, "INFO", "promo rules loaded", bucket="acme-promo-rules-prod", rules=412)))
        ev[tid].append((s0 + 1.3, _slog(s0 + 1.3, "INFO", "listening", addr=":8080")))
    for k, tid in enumerate(old):
        s1 = DEPLOY + 170 + k * 8
        ev[tid].append((s1, _slog(s1, "INFO", "shutdown signal received, draining", signal="SIGTERM")))
        ev[tid].append((s1 + 2, _slog(s1 + 2, "INFO", "server stopped")))
    pick = lambda t: rng.choice(new if rng.random() < f(t) else old) if t > T0 else rng.choice(old)
    for ti in orders:
        if ti < -5400:
            continue
        tid = pick(ti)
        promo = rng.choice(["", "", "", "SPRING10", "FREESHIP", "VIP15", "APPONLY5"])
        ev[tid].append((ti, _slog(ti, "INFO", "order placed", order_id=f"o_{rng.hexs(12)}", total_cents=rng.randint(900, 40000),
                                  promo=promo, duration_ms=rng.randint(55, 160))))
        if rng.random() < 0.028:
            ev[tid].append((ti + 0.01, _slog(ti + 0.01, "ERROR", "payment authorization declined", provider="adyen",
                                             refusal_reason=rng.choice(["Refused", "Not enough balance", "CVC Declined"]))))
    for ti in panics:
        if ti < -7200:
            continue
        tid = rng.choice(new)
        ev[tid].append((ti, _panic(ti, rng)))
    for tid in old + new:
        sc.log("/ecs/checkout-svc", f"checkout-svc/checkout-svc/{tid}", ev[tid])

    sc.change(-9000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/cart-svc", "github-actions-deploy")
    sc.change(-3600, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::HostedZone", "Z3M8Q1X5T9W2EXAMPL", "marketing-web-ops")
    sc.change(-2700, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0d5f7b9a1c3e24681", "netops-terraform")
    sc.change(DEPLOY - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-svc:89", "github-actions-deploy")
    sc.change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "commerce/checkout-svc", "github-actions-deploy")
    sc.alarm("commerce-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "ALARM", T0 + 330, description="commerce ALB generated 5XX")
    sc.alarm("checkout-svc-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "commerce", "ServiceName": "checkout-svc"},
             "Average", 300, 2, 85, "GreaterThanThreshold", "OK", -300000)
    sc.expect("commerce-alb-elb-5xx", "bad_deployment", ["commerce/checkout-svc", "checkout-svc"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_502_Count", "dimensions": {"LoadBalancer": LB}}])
    return sc.done()
