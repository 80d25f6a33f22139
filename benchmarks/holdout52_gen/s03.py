"""h52-03: cart-svc 1.19.0 panics on guest carts; alarm on the public ALB two hops up."""
from __future__ import annotations

from .common import Scenario, alb_dims, ecs_pack, rds_pack
from .logfmt import pino, zap

PUB = "app/shop-public-alb/3e8d1c0b9a7f5e21"
INT = "app/cart-internal-alb/9b2f6d4e1a3c8705"
T_RECS, T_SF, T_SG, T_CART, T_SNAP, T_CONC = -5400, -3600, -3300, -1560, -1200, -900
NEW1, NEW2 = -1500, -1420          # new cart-svc tasks register (two per wave)
OLD1, OLD2 = -1440, -1380          # old tasks drained
GUEST = 0.3


def cart_bad_share(t: float) -> float:
    """Share of cart requests served by 1.19.0 tasks."""
    if t < NEW1 + 30:
        return 0.0
    if t < OLD1:
        return 2 / 6
    if t < NEW2 + 30:
        return 2 / 4
    if t < OLD2:
        return 4 / 6
    return 1.0


PANIC = (
    "{ts} http: panic serving {ip}: runtime error: invalid memory address or nil pointer dereference\n"
    "goroutine {g} [running]:\n"
    "net/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1903 +0xbe\n"
    "panic({{0x9a8f40?, 0xe0c2b0?}})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
    "github.com/acme-shop/cart-svc/internal/pricing.LoyaltyDiscount(...)\n"
    "\t/src/internal/pricing/loyalty.go:57\n"
    "github.com/acme-shop/cart-svc/internal/api.(*Handler).GetCart(0xc0001a2000, {{0xb1e2c8, 0xc0004f61c0}}, 0xc000512900)\n"
    "\t/src/internal/api/cart.go:112 +0x2f4\n"
    "net/http.HandlerFunc.ServeHTTP(0x0?, {{0xb1e2c8?, 0xc0004f61c0?}}, 0x0?)\n"
    "\t/usr/local/go/src/net/http/server.go:2171 +0x29\n"
    "github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc00019e060, {{0xb1e2c8, 0xc0004f61c0}}, 0xc000512900)\n"
    "\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go:444 +0x216")


def build():
    s = Scenario(3, "cart-svc-nil-panic", "us-west-2", "2026-04-21T14:50:00",
                 "Shoppers intermittently get an error page when opening their cart; the public "
                 "storefront ALB 5XX alarm fired shortly after a round of releases.")
    s.resource("alb", PUB, name="shop-public-alb", scheme="internet-facing")
    s.resource("alb", INT, name="cart-internal-alb", scheme="internal")
    s.resource("ecs", "shop-prod/storefront", launch_type="FARGATE", runtime="Node.js 20",
               log_groups=["/ecs/storefront"], desired_count=6)
    s.resource("ecs", "shop-prod/cart-svc", launch_type="FARGATE", runtime="Go 1.22",
               log_groups=["/ecs/cart-svc"], desired_count=4,
               deployment="rolling, minimumHealthyPercent=100 maximumPercent=150")
    s.resource("ecs", "shop-prod/recommendations", launch_type="FARGATE", runtime="Python 3.11",
               desired_count=3)
    s.resource("rds", "cart-db", engine="postgres", engine_version="16.2",
               instance_class="db.r6g.large", max_connections=1600, allocated_storage_gb=200)

    req = s.series(lambda t: s.count(6100 * s.diurnal(t, 19, 0.18)))
    cart_req = {t: s.count(req[t] * 0.15 * 1.3) for t in req}
    panics = {t: s.count(req[t] * 0.15 * GUEST * cart_bad_share(t)) for t in req}
    pub5 = {t: panics[t] + (1.0 if s.rng.random() < 0.3 else 0.0) for t in req}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(PUB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(PUB), "Count", pub5,
             integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(PUB), "Count",
             s.series(lambda t: 1.0 if s.rng.random() < 0.05 else 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(PUB), "Seconds",
             s.series(lambda t: 0.118 + s.noise(0.01) + (0.03 if T_SF <= t < T_SF + 240 else 0)), nd=4)
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(INT), "Count", cart_req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(INT), "Count", panics,
             integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(INT), "Count",
             {t: 0.0 for t in req}, integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(INT), "Seconds",
             s.series(lambda t: 0.0061 + abs(s.noise(0.0008))), nd=5)

    def cart_tasks(t):
        if NEW1 <= t < OLD1 or NEW2 <= t < OLD2:
            return 6.0
        return 4.0
    ecs_pack(s, "shop-prod", "storefront",
             s.series(lambda t: 41 * s.diurnal(t, 19, 0.15) + s.noise(2.5) + (22 if T_SF <= t < T_SF + 300 else 0)),
             s.series(lambda t: 52 + s.noise(1.2) - (6 if t >= T_SF else 0)),
             s.series(lambda t: 6.0 + (3 if T_SF <= t < T_SF + 300 else 0)), s.series(lambda t: 6.0))
    ecs_pack(s, "shop-prod", "cart-svc", s.series(lambda t: 23 + s.noise(2)),
             s.series(lambda t: 29 + s.noise(1)), s.series(cart_tasks), s.series(lambda t: 4.0))
    ecs_pack(s, "shop-prod", "recommendations",
             s.series(lambda t: 90 + s.noise(2.5) if t >= -9300 else 61 + s.noise(4)),
             s.series(lambda t: 71 + s.noise(1.5)), s.series(lambda t: 3.0), s.series(lambda t: 3.0))
    rds_pack(s, "cart-db", s.series(lambda t: 17 + s.noise(2) + (8 if T_SNAP <= t < T_SNAP + 600 else 0)),
             s.series(lambda t: 42 + s.noise(2)), s.series(lambda t: 151.2e9 + s.noise(3e7)),
             s.series(lambda t: 11.4e9 + s.noise(1e8)), s.series(lambda t: 0.0009 + abs(s.noise(0.0001))))

    # ---- storefront (pino JSON)
    def sf_stream(a, b, version):
        host = f"ip-10-30-{s.rng.randint(1, 9)}-{s.rng.randint(2, 250)}.us-west-2.compute.internal"
        ev = [(a + 2.1, pino(s, a + 2.1, 30, host, f"storefront {version} listening on :3000",
                             commit={"4.9.2": "3bd09e2", "5.0.0": "a7f03c1"}[version]))]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(9))):
                tt = t + s.rng.uniform(0, 59.9)
                url = s.rng.choice(["/", "/c/shoes", f"/p/{s.rng.randint(100000, 999999)}", "/search?q=boots",
                                    f"/cart/c_{s.hex(10)}", "/checkout/shipping"])
                ev.append((tt, pino(s, tt, 30, host, "request completed", req={"method": "GET", "url": url},
                                    res={"statusCode": 200}, responseTime=s.rng.randint(20, 180))))
            if s.rng.random() < 0.5:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, pino(s, tt, 40, host, "recommendations timeout after 250ms, serving fallback",
                                    widget=s.rng.choice(["pdp-similar", "home-trending", "cart-upsell"]))))
            k = cart_bad_share(t) * 0.15 * GUEST * 9 * 1.6
            for _ in range(int(s.count(k))):
                tt = t + s.rng.uniform(0, 59.9)
                cid = f"c_{s.hex(10)}"
                ev.append((tt, pino(s, tt, 50, host, "cart-svc request failed", err={
                    "type": "UpstreamError", "message": "cart-svc responded 502 Bad Gateway"},
                    upstream="http://internal-cart-internal-alb-1180273395.us-west-2.elb.amazonaws.com",
                    path=f"/v1/carts/{cid}", status=502, guest=True)))
                ev.append((tt + 0.002, pino(s, tt + 0.002, 30, host, "request completed",
                                            req={"method": "GET", "url": f"/cart/{cid}"},
                                            res={"statusCode": 502}, responseTime=s.rng.randint(8, 30))))
        return ev

    for _ in range(3):
        s.log("/ecs/storefront", f"storefront/storefront/{s.hex(32)}", sf_stream(-10800, T_SF + 180, "4.9.2"))
    for _ in range(3):
        s.log("/ecs/storefront", f"storefront/storefront/{s.hex(32)}", sf_stream(T_SF + 40, 0, "5.0.0"))

    # ---- cart-svc (zap JSON + Go runtime panics on stderr)
    def cart_stream(a, b, version):
        ev = [(a + 0.4, zap(s, a + 0.4, "info", "cmd/cart-svc/main.go:48", "cart-svc starting",
                            version=version, commit={"1.18.3": "51c0aa8", "1.19.0": "9e2d41b"}[version])),
              (a + 0.9, zap(s, a + 0.9, "info", "internal/store/pg.go:33", "connected to postgres",
                            host="cart-db.c2hw1k9xq0lp.us-west-2.rds.amazonaws.com", pool_max=25))]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(6))):
                tt = t + s.rng.uniform(0, 59.9)
                guest = s.rng.random() < GUEST
                if version == "1.19.0" and guest and s.rng.random() < 0.7:
                    ts = s.stamp(tt, "%Y/%m/%d %H:%M:%S")
                    ev.append((tt, PANIC.format(ts=ts, ip=f"10.30.{s.rng.randint(1, 9)}.{s.rng.randint(2, 250)}:"
                                                f"{s.rng.randint(30000, 60000)}", g=s.rng.randint(10000, 99999))))
                    continue
                ev.append((tt, zap(s, tt, "info", "api/middleware.go:61", "request", method="GET",
                                   path=f"/v1/carts/c_{s.hex(10)}", status=200, guest=guest,
                                   dur_ms=round(s.rng.uniform(2, 11), 1))))
            if version == "1.19.0" and s.rng.random() < 0.3:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, zap(s, tt, "info", "internal/pricing/loyalty.go:31", "loyalty tiers loaded",
                                   tiers=4)))
        if b < 0:
            ev.append((b - 1, zap(s, b - 1, "info", "cmd/cart-svc/main.go:77", "shutdown signal received, draining",
                                  signal="SIGTERM")))
        return ev

    for stop in (OLD1, OLD1, OLD2, OLD2):
        s.log("/ecs/cart-svc", f"cart-svc/cart-svc/{s.hex(32)}", cart_stream(-10800, stop, "1.18.3"))
    for start in (NEW1, NEW1, NEW2, NEW2):
        s.log("/ecs/cart-svc", f"cart-svc/cart-svc/{s.hex(32)}", cart_stream(start, 0, "1.19.0"))

    # ---- changes
    s.change(T_RECS, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/recommendations",
             "github-actions")
    s.change(T_SF - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "storefront:212", "github-actions")
    s.change(T_SF, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/storefront",
             "github-actions")
    s.change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0c1d7e9a4b2f36051 (bastion-ssh)", "netops-l.ward")
    s.change(T_CART, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "cart-svc:88", "github-actions")
    s.change(T_CART + 10, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/cart-svc",
             "github-actions")
    s.change(T_SNAP, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "cart-db", "dba-p.iyer")
    s.change(T_CONC, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
             "search-autocomplete", "k.brennan")

    a = s.alarm("shop-public-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(PUB),
                "Sum", 60, 3, 60, "GreaterThanThreshold", expect_state="ALARM",
                description="Public storefront returning 5XX")
    s.alarm("recommendations-cpu-high", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "shop-prod", "ServiceName": "recommendations"}, "Average", 300, 3, 85,
            "GreaterThanThreshold", expect_state="ALARM")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "bad_deployment",
                    "resource": ["shop-prod/cart-svc", "cart-svc"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                   "dimensions": alb_dims(INT)},
                                  {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": alb_dims(PUB)}]})
    meta = dict(alarm=a["name"], category="bad_deployment", resources=["shop-prod/cart-svc", "cart-svc"],
                where="front (public ALB; origin is cart-svc behind storefront and the internal ALB)",
                decoys="storefront 5.0.0 release 34 min before onset; recommendations deploy; recommendations "
                       "CPU alarm already in ALARM for hours with steady 'serving fallback' WARNs; bastion SG "
                       "ingress edit; cart-db manual snapshot (CPU blip); Lambda concurrency change on an "
                       "unrelated function",
                story="storefront shipped a major release at -60 min and runs cleanly for 35 minutes. At -26 min "
                      "cart-svc:88 (1.19.0) starts rolling; as soon as its first two tasks take traffic, the "
                      "internal cart ALB starts returning 502s (target closed the connection) and the Go tasks "
                      "print `http: panic serving ...: runtime error: invalid memory address or nil pointer "
                      "dereference` from `pricing.LoyaltyDiscount` for guest carts, a signature that never "
                      "appears in 1.18.3. The 5XX rate steps up with each rollout wave (2/6, 2/4, 4/6, all "
                      "tasks). storefront only relays `cart-svc responded 502`. The recommendations CPU alarm "
                      "and its fallbacks predate everything. Verdict: bad_deployment of cart-svc.")
    return doc, meta
