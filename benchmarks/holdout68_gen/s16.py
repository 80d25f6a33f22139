"""h68-16: legacy PHP web shop 5xx at the ALB; one EC2 target's root volume fills up."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, ec2_family, emit, event_load, php, ramp, rds_family
from .runtimes import nginx

BOTS, SALE, ONSET, DECOY = -16000, -7200, -1620, -1740
A, B = "i-0e5a7c9b1d3f24680", "i-0b8d2f4a6c1e39570"


def disk(t: float, start: float, slow: float, fast: float) -> float:
    h0 = (min(t, BOTS) + 21600) / 3600
    h1 = max(0.0, t - BOTS) / 3600
    return min(100.0, start + slow * h0 + fast * h1)


def build() -> Scenario:
    sc = Scenario(16, "webshop-5xx", "Summer sale: web shop checkout pages erroring for AU/NZ players; "
                  "legacy shop ALB 5xx alarm.", "ap-southeast-2", 6816, "2026-12-06T09:45:00")
    rng = sc.rng
    lb, db = "app/legacy-shop/8c4f2a7e1d9b3506", "shop-mysql-au"
    lg = ["/legacy-shop/nginx/access", "/legacy-shop/nginx/error", "/legacy-shop/php-fpm/error"]
    sc.resource("ec2", A, name="webshop-a", instance_type="m5.large", root_volume_gb=30, app="PHP 8.2-FPM + nginx",
                log_groups=lg)
    sc.resource("ec2", B, name="webshop-b", instance_type="m5.large", root_volume_gb=50, app="PHP 8.2-FPM + nginx",
                log_groups=lg)
    sc.resource("alb", lb, name="legacy-shop", targets=[A, B])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=200)
    load = lambda t: diurnal(sc, t, 9, 0.25) * event_load(t, SALE, 2.4, 1.5, 2400)
    full = lambda t: ramp(t, ONSET, ONSET + 60)
    bots = lambda t: ramp(t, BOTS, BOTS + 300)
    req = lambda t: 1400 * load(t) + 900 * bots(t)
    alb_family(sc, lb, req, lambda t: 0.11 + 0.02 * (load(t) - 1) + 0.05 * full(t),
               t5xx=lambda t: 0.3 + 0.26 * 1400 * load(t) * full(t), t4xx=lambda t: 30 + 880 * bots(t),
               hosts=lambda t: 2)
    da = lambda t: disk(t, 71.0, 0.35, 7.15) if t < ONSET else 100.0
    ec2_family(sc, A, lambda t: 21 * load(t) + 9 * bots(t), netin=lambda t: 2.2e6 * load(t), mem=lambda t: 58,
               disk=da)
    ec2_family(sc, B, lambda t: 20 * load(t) + 9 * bots(t), netin=lambda t: 2.1e6 * load(t), mem=lambda t: 57,
               disk=lambda t: disk(t, 61.0, 0.21, 4.3))
    rds_family(sc, db, lambda t: 16 * load(t), lambda t: 40 + 12 * load(t), lambda t: 141.0, mem_gb=lambda t: 9.2)

    # ---------------------------------------------------------------- nginx / php-fpm logs
    pages = ["/shop/", "/shop/item/{}", "/shop/cart", "/shop/checkout", "/account/orders"]
    bot_ips = [f"45.{rng.randint(60, 140)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(40)]
    for iid, bad in ((A, full), (B, lambda t: 0.0)):
        def page(t, bad=bad):
            p = rng.choice(pages).format(rng.randint(100, 999))
            st = 500 if rng.random() < 0.52 * bad(t) else 200
            return nginx(sc, t, sc.ip("10.12"), "POST" if p.endswith("checkout") else "GET", p, st,
                         rng.randint(2000, 48000) if st == 200 else 562, rng.lognormvariate(-2.3, 0.4),
                         "Mozilla/5.0 (FrostfallLauncher)")
        emit(sc, lg[0], iid, lambda t: 3.0 * load(t), page)
        emit(sc, lg[0], iid, lambda t: 2.0 * bots(t), lambda t: nginx(
            sc, t, rng.choice(bot_ips), "POST", "/giftcode/redeem", 404, 48, rng.uniform(0.01, 0.04),
            "python-httpx/0.27.0"), t0=BOTS)
        emit(sc, lg[2], iid, lambda t: 0.8, lambda t: php(
            sc, t, "Deprecated", "Creation of dynamic property Shop\\Cart\\LineItem::$promo is deprecated in "
                                 "/var/www/shop/src/Cart/LineItem.php on line 48"))
    emit(sc, lg[2], A, lambda t: 4.0 * full(t), lambda t: php(
        sc, t, "Warning", f"session_start(): open(/var/lib/php/sessions/sess_{sc.hexid(26)}, O_RDWR) failed: "
                          "No space left on device (28) in /var/www/shop/src/Http/Session.php on line 31"), t0=ONSET)
    emit(sc, lg[2], A, lambda t: 2.0 * full(t), lambda t: php(
        sc, t, "Fatal error", "Uncaught ErrorException: file_put_contents(/var/www/shop/storage/cache/cart_"
                              f"{sc.hexid(12)}.php): Failed to open stream: No space left on device in "
                              "/var/www/shop/src/Cache/FileStore.php:64"), t0=ONSET)
    emit(sc, lg[1], A, lambda t: 1.5 * full(t), lambda t: (
        f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 1187#1187: *{rng.randint(10 ** 6, 9 * 10 ** 6)} pwrite() "
        f"\"/var/lib/nginx/tmp/fastcgi/{rng.randint(1, 9)}/{rng.randint(10, 99)}/00000{rng.randint(10000, 99999)}\" "
        "failed (28: No space left on device) while reading upstream, client: 10.12.3.41, server: shop, "
        "request: \"GET /shop/ HTTP/1.1\""), t0=ONSET)
    for iid in (A, B):
        emit(sc, lg[1], iid, lambda t: 0.25, lambda t: (
            f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [error] 1187#1187: *{rng.randint(10 ** 5, 9 * 10 ** 5)} "
            "upstream timed out (110: Connection timed out) while reading response header from upstream, client: "
            f"10.12.{rng.randint(1, 9)}.{rng.randint(2, 250)}, server: shop, request: \"GET /account/orders HTTP/1.1\""))

    sc.alarm("legacy-shop-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Legacy shop 5xx")
    sc.alarm("legacy-shop-4xx", "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 2000, "GreaterThanThreshold", "Gift code brute force")
    sc.change(-15400, "wafv2.amazonaws.com", "UpdateWebACL", "AWS::WAFv2::WebACL", "legacy-shop-acl", "ops-rpatel")
    sc.change(-7500, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "legacy-shop-tg", "ops-rpatel")
    sc.change(DECOY, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "shop-mysql-au-params", "dba-hlee")
    sc.expect = {"alarm": "legacy-shop-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [A, "webshop-a"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": A, "path": "/", "fstype": "xfs"}}]}
    sc.meta = {
        "front": "front (ALB; origin is one target instance)",
        "services": ["alb", "ec2", "rds"], "runtime": "PHP 8.2-FPM error log, nginx access + error logs",
        "decoys": "MySQL parameter-group change 2 min before onset; gift-code bot traffic (and its 4xx alarm) "
                  "since -4.4 h; steady PHP deprecation notices and upstream timeouts; summer-sale rush",
        "story": (
            "Bots started brute-forcing /giftcode/redeem at -4.4 h (hundreds of 404s a minute, a 4xx alarm "
            "that has been firing since) and each attempt is written to the access log and the shop's gift-code audit log on disk, so both "
            "servers' root volumes started filling several times faster. webshop-a has "
            "a 30 GB root volume and its disk_used_percent climbs from 71 % to 100 % at -27 min; webshop-b "
            "(50 GB) climbs at a similar absolute rate and is only at ~80 %. From that minute webshop-a alone logs PHP `session_start(): ... "
            "No space left on device (28)`, `file_put_contents(...): Failed to open stream: No space left "
            "on device` and nginx `[crit] pwrite() ... failed (28: No space left on device)`, and about "
            "half of its requests return 500 (about a fifth of all ALB traffic). The MySQL parameter-group "
            "change two minutes earlier left the database unremarkable and both servers use it; the "
            "summer-sale rush at -120 min was absorbed and the deprecation notices and occasional upstream "
            "timeouts are there all day."),
    }
    return sc
