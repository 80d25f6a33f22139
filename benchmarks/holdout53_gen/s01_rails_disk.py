"""h53-01: Rails storefront on EC2; hourly logrotate has been failing, nginx access.log fills the root disk."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import add, alb_set, ec2_set, lambda_set, minutes

WEB1, WEB2, SIDEKIQ = "i-05d1b9a7c3e2f4a60", "i-0c4f7e21a9b3d5e88", "i-09a8e6c4d2b1f3a57"
LB = "app/storefront-alb/7c2e9f1a3b5d8e04"
ONSET = -2280  # web-2 root volume reaches 100 %
NOW_H = 14.17

META = {
    "file": "h53-01-ec2-rails-disk-full.yaml", "region": "us-east-1", "alarm": "storefront-alb-target-5xx",
    "category": "storage_exhaustion", "resources": [WEB2, "storefront-web-2"], "alarm_on": "front (ALB)",
    "decoys": "Lambda deploy to storefront-sitemap-builder 50 min ago; steady Rails RoutingError FATALs and "
              "nginx 404 noise from bots on both web nodes; benign CPU spike (and an alarm that already went "
              "back to OK) on storefront-sidekiq-1 from the scheduled catalog import",
    "story": (
        "The storefront ALB's target 5XX alarm fires. On storefront-web-2 the CloudWatch agent's "
        "disk_used_percent for / has climbed steadily all morning (74 % to 100 %), following traffic, "
        "while on web-1 it stays near 52 % and drops a little every hour. Every hour the journal of web-2 "
        "shows logrotate skipping /var/log/nginx/*.log because the parent directory is group-writable, so "
        "nginx access.log has not been rotated. From the moment the disk is full the access-log stream of "
        "web-2 goes silent, nginx logs `write() to access.log failed (28: No space left on device)` and "
        "`pwritev() ... client_body ... failed (28: No space left on device)`, and Rails returns 500 with "
        "`Errno::ENOSPC` from the file cache store. Health checks (/up) keep passing, so the target stays "
        "in service and half the traffic keeps failing. The sitemap Lambda deploy touches nothing on the "
        "request path, the RoutingError FATALs are bot noise at the same rate all day, and the sidekiq "
        "CPU spike ended an hour before onset. Judgement: storage exhaustion on the web-2 instance, not an "
        "application error (the exceptions are ENOSPC) and not the ALB."),
}

PATHS = [("GET", "/products/{sku}", 0.42), ("GET", "/collections/{col}", 0.18), ("GET", "/", 0.08),
         ("GET", "/cart", 0.09), ("POST", "/cart/items", 0.09), ("POST", "/checkout/payment", 0.03),
         ("GET", "/search?q={q}", 0.08), ("GET", "/assets/application-3f2a9c1e.js", 0.03)]
COLS = ["spring-sale", "running", "outdoor", "new-arrivals", "kids", "accessories"]
QS = ["trail+shoes", "rain+jacket", "backpack", "socks", "water+bottle", "hoodie"]


def _pick(rng):
    x, acc = rng.random(), 0.0
    for m, p, w in PATHS:
        acc += w
        if x <= acc:
            break
    path = p.format(sku=f"sku-{rng.randint(10000, 99999)}", col=rng.choice(COLS), q=rng.choice(QS))
    return m, path


def build() -> Scenario:
    scn = Scenario("h53-01-ec2-rails-disk-full", "Storefront checkout and product pages intermittently "
                   "return 500; ALB target 5XX alarm paged the web on-call.", "us-east-1", 5301,
                   datetime(2026, 4, 14, 14, 10))
    rng = scn.rng
    scn.resource("ec2", WEB1, name="storefront-web-1", instance_type="m6i.large", ami="ami-0e2f7a41c3b9d1a66",
                 log_groups=["/storefront/nginx/access", "/storefront/nginx/error", "/storefront/rails/production",
                             "/storefront/system"])
    scn.resource("ec2", WEB2, name="storefront-web-2", instance_type="m6i.large", ami="ami-0e2f7a41c3b9d1a66",
                 root_volume_gb=30,
                 log_groups=["/storefront/nginx/access", "/storefront/nginx/error", "/storefront/rails/production",
                             "/storefront/system"])
    scn.resource("ec2", SIDEKIQ, name="storefront-sidekiq-1", instance_type="c6i.xlarge")
    scn.resource("alb", LB, name="storefront-alb", scheme="internet-facing", target_group="storefront-web")
    scn.resource("lambda", "storefront-sitemap-builder", runtime="ruby3.3", timeout=120, memory_size=1024)

    traffic = lambda t: 1400.0 * diurnal(t, NOW_H, peak_hour=17.0, amp=0.45)
    # web-2 disk: integral of traffic from 74 % at -6 h to 100 % at ONSET
    cum, acc, t = {}, 0.0, -21600
    while t <= 0:
        cum[t] = acc
        acc += traffic(t)
        t += 60
    k = 26.0 / cum[ONSET]
    d2 = lambda t: 100.0 if t >= ONSET else 74.0 + k * cum[int(t // 60 * 60)] + rng.gauss(0, 0.03)
    d1 = lambda t: 51.6 + 0.7 * (((scn.at(t).minute - 2) % 60) / 60.0) + rng.gauss(0, 0.03)

    ec2_set(scn, WEB1, cpu=lambda t: 14 + 9 * diurnal(t, NOW_H, 17, 0.45) + rng.gauss(0, 1.8),
            mem=lambda t: 57.5 + rng.gauss(0, 0.6), disk=d1,
            net_in=lambda t: 5.2e6 * diurnal(t, NOW_H, 17, 0.45) * rng.uniform(0.9, 1.1),
            net_out=lambda t: 3.1e7 * diurnal(t, NOW_H, 17, 0.45) * rng.uniform(0.9, 1.1), step=300)
    ec2_set(scn, WEB2, cpu=lambda t: (14 + 9 * diurnal(t, NOW_H, 17, 0.45)) * (0.8 if t >= ONSET else 1.0)
            + rng.gauss(0, 1.8), mem=lambda t: 58.3 + rng.gauss(0, 0.6), disk=d2,
            net_in=lambda t: 5.2e6 * diurnal(t, NOW_H, 17, 0.45) * rng.uniform(0.9, 1.1),
            net_out=lambda t: 3.1e7 * diurnal(t, NOW_H, 17, 0.45) * (0.7 if t >= ONSET else 1) * rng.uniform(0.9, 1.1),
            step=300)
    import_on = lambda t: -7800 <= t < -6600
    sk = ec2_set(scn, SIDEKIQ, cpu=lambda t: (93 + rng.gauss(0, 2.5)) if import_on(t) else 11 + rng.gauss(0, 2),
            mem=lambda t: (71 if import_on(t) else 46) + rng.gauss(0, 0.8), disk=lambda t: 38.2 + rng.gauss(0, 0.02),
            net_in=lambda t: (4.1e8 if import_on(t) else 2.2e6) * rng.uniform(0.85, 1.15),
            net_out=lambda t: 1.4e6 * rng.uniform(0.85, 1.15), step=300)
    sk_cpu = sk["CPUUtilization"]

    fail_frac = 0.5 * 0.36
    req = counts(traffic, rng)
    alb = alb_set(scn, LB, req=req,
                  rt=lambda t: 0.118 * (1 + 0.15 * (diurnal(t, NOW_H, 17, 0.45) - 1)) + abs(rng.gauss(0, 0.01)),
                  t5xx=lambda t: rng.choice([0, 0, 0, 1, 1, 2]) + (
                      value_at(req, t) * fail_frac * rng.uniform(0.9, 1.1) if t >= ONSET else 0),
                  e5xx=lambda t: rng.choice([0, 0, 0, 0, 1]), healthy=lambda t: 2, unhealthy=lambda t: 0)
    sm_on = lambda t: (t // 60) % 15 == 3
    lambda_set(scn, "storefront-sitemap-builder", inv=lambda t: 1 if sm_on(t) else None,
               err=lambda t: 0 if sm_on(t) else None, thr=lambda t: 0 if sm_on(t) else None,
               dur=lambda t: rng.uniform(36000, 44000) if sm_on(t) else None,
               conc=lambda t: 1 if sm_on(t) else None)

    scn.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB},
              "Sum", 60, 3, 50, "GreaterThanThreshold", points=alb["HTTPCode_Target_5XX_Count"],
              description="Storefront targets returning 5XX")
    scn.alarm("storefront-sidekiq-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": SIDEKIQ}, "Average",
              300, 2, 85, "GreaterThanThreshold", points=sk_cpu)
    scn.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "storefront-sitemap-builder", "github-actions-deploy")
    scn.change(-2990, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
               "storefront-sitemap-builder", "github-actions-deploy")

    _logs(scn, req)
    scn.set_expect("storefront-alb-target-5xx", META["category"], META["resources"],
                   [dims_ref("CWAgent", "disk_used_percent", {"InstanceId": WEB2, "path": "/", "fstype": "xfs"}),
                    dims_ref("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB})])
    return scn


def _logs(scn: Scenario, req: list) -> None:
    rng = scn.rng
    start = -9000
    for iid, host, pid in ((WEB1, "ip-10-0-1-23", 2791), (WEB2, "ip-10-0-2-47", 2817)):
        broken = iid == WEB2
        acc, err, rl, syst = [], [], [], []
        conn = rng.randint(800000, 900000)
        for m0 in minutes(start):
            n = int(value_at(req, m0) / 2 / 85)
            for _ in range(n):
                t = m0 + rng.uniform(0, 60)
                conn += rng.randint(20, 60)
                method, path = _pick(rng)
                ip = scn.ip("10.0")
                rid = scn.uuid()
                failing = broken and t >= ONSET and (method == "POST" or (
                    path.startswith(("/products", "/collections")) and rng.random() < 0.4))
                rt = rng.uniform(0.03, 0.25)
                if broken and t >= ONSET:
                    if failing and method == "POST":
                        err.append((t, L.nginx_error(scn, t, "crit", pid, conn,
                                   f'pwritev() "/var/lib/nginx/tmp/client_body/00000{rng.randint(40000, 49999)}" '
                                   f'failed (28: No space left on device), client: {ip}, server: shop.example.com, '
                                   f'request: "{method} {path} HTTP/1.1", host: "shop.example.com"')))
                    elif failing:
                        _enospc(scn, rl, t, rid, pid, path)
                    err.append((t + rt, L.nginx_error(scn, t + rt, "alert", pid, conn,
                               'write() to "/var/log/nginx/access.log" failed (28: No space left on device) while '
                               f'logging request, client: {ip}, server: shop.example.com, request: "{method} {path} '
                               'HTTP/1.1", upstream: "http://unix:/var/app/shared/sockets/puma.sock:' + path
                               + '", host: "shop.example.com"')))
                    if not failing:
                        _ok_rails(scn, rl, t, rid, pid, method, path, rt)
                    continue
                acc.append((t + rt, L.nginx_access(scn, t + rt, ip, method, path, 200 if method == "GET" else 302,
                                                   rng.randint(900, 48000), rt, rng.choice(L.UA))))
                _ok_rails(scn, rl, t, rid, pid, method, path, rt)
                if rng.random() < 0.04:
                    err.append((t, L.nginx_error(scn, t, "warn", pid, conn,
                               f"an upstream response is buffered to a temporary file /var/lib/nginx/tmp/proxy/"
                               f"{rng.randint(0, 9)}/{rng.randint(10, 99)}/00000{rng.randint(10000, 99999)} while "
                               f'reading upstream, client: {ip}, server: shop.example.com, request: "GET '
                               f'/collections/{rng.choice(COLS)} HTTP/1.1", host: "shop.example.com"')))
            # pre-existing bot noise on both nodes (same rate all day)
            for _ in range(rng.choice([0, 1, 1, 1, 2])):
                t = m0 + rng.uniform(0, 60)
                bot = rng.choice(["/wp-login.php", "/.env", "/xmlrpc.php", "/wp-admin/setup-config.php"])
                rid = scn.uuid()
                rl.append((t, L.rails(scn, t, "INFO", rid, f'Started GET "{bot}" for 45.{rng.randint(1, 250)}.'
                                      f'{rng.randint(1, 250)}.{rng.randint(1, 250)} at '
                                      f'{scn.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000', pid)))
                rl.append((t + 0.004, L.rails(scn, t + 0.004, "FATAL", rid, f"\n[{rid}] ActionController::"
                                              f'RoutingError (No route matches [GET] "{bot}"):', pid)))
                if not (broken and t >= ONSET):
                    acc.append((t + 0.005, L.nginx_access(scn, t + 0.005, "45.146.165.37", "GET", bot, 404, 1722,
                                                          0.005, "Mozilla/5.0 zgrab/0.x")))
            if scn.at(m0).minute == 1:  # hourly cron
                syst += _cron(scn, m0, host, broken)
            if rng.random() < 0.15:
                t = m0 + rng.uniform(0, 60)
                syst.append((t, L.syslog(scn, t, host, f"amazon-ssm-agent[{1400 + pid % 7}]",
                             "INFO [CredentialRefresher] Next credential rotation will be in 29.99 minutes")))
        scn.log("/storefront/nginx/access", iid, acc)
        scn.log("/storefront/nginx/error", iid, err)
        scn.log("/storefront/rails/production", iid, rl)
        scn.log("/storefront/system", iid, syst)
    sm = []
    for m0 in minutes(-10800):
        if (m0 // 60) % 15 != 3:
            continue
        t = m0 + 2
        dur = rng.uniform(36000, 44000)
        body = [(0.01, L.ruby_logger(scn, t, "INFO", "Building sitemap index (6 shards)")),
                (dur / 1000 - 0.2, L.ruby_logger(scn, t + dur / 1000, "INFO",
                 f"Uploaded sitemap to s3://storefront-public/sitemaps/ ({rng.randint(41200, 41900)} urls)"))]
        sm += L.lambda_invocation(scn, t, dur, 1024, rng.randint(310, 360), body)
    scn.log("/aws/lambda/storefront-sitemap-builder", "2026/04/14/[$LATEST]5b0e61c2a8d94f7b9e3d1c0a7f2b6e48", sm)


def _ok_rails(scn, rl, t, rid, pid, method, path, rt):
    rng = scn.rng
    rl.append((t, L.rails(scn, t, "INFO", rid, f'Started {method} "{path}" for {scn.ip("10.0")} at '
                          f'{scn.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000', pid)))
    ms = rt * 1000 * 0.92
    code = "200 OK" if method == "GET" else "302 Found"
    rl.append((t + rt, L.rails(scn, t + rt, "INFO", rid, f"Completed {code} in {ms:.0f}ms (Views: {ms * 0.55:.1f}ms"
                               f" | ActiveRecord: {ms * 0.3:.1f}ms ({rng.randint(3, 14)} queries, "
                               f"{rng.randint(0, 6)} cached) | GC: {rng.uniform(0, 4):.1f}ms)", pid)))


def _enospc(scn, rl, t, rid, pid, path):
    rng = scn.rng
    key = path.strip("/").replace("/", "%2F")
    f = f"/var/app/current/tmp/cache/{rng.randint(100, 999):X}/{rng.randint(100, 999):X}/views%2F{key}-20260414"
    rl.append((t, L.rails(scn, t, "INFO", rid, f'Started GET "{path}" for {scn.ip("10.0")} at '
                          f'{scn.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000', pid)))
    ms = rng.uniform(18, 60)
    t2 = t + ms / 1000
    rl.append((t2, L.rails(scn, t2, "INFO", rid, f"Completed 500 Internal Server Error in {ms:.0f}ms "
                           f"(ActiveRecord: {ms * 0.4:.1f}ms ({rng.randint(3, 9)} queries, 0 cached) | GC: 0.0ms)", pid)))
    tb = "\n".join(f"[{rid}] {x}" for x in [
        "activesupport (7.1.3.2) lib/active_support/core_ext/file/atomic.rb:38:in `write'",
        "activesupport (7.1.3.2) lib/active_support/core_ext/file/atomic.rb:38:in `block in atomic_write'",
        "activesupport (7.1.3.2) lib/active_support/cache/file_store.rb:101:in `write_entry'",
        "activesupport (7.1.3.2) lib/active_support/cache.rb:755:in `block in write'",
        "actionview (7.1.3.2) lib/action_view/helpers/cache_helper.rb:274:in `write_fragment_for'",
        "app/views/products/show.html.erb:3"])
    rl.append((t2 + 0.001, L.rails(scn, t2 + 0.001, "FATAL", rid, f"\n[{rid}] Errno::ENOSPC (No space left on device "
                                   f"@ io_write - {f}):\n[{rid}] \n{tb}", pid)))


def _cron(scn, m0, host, broken):
    rng = scn.rng
    p = rng.randint(20000, 60000)
    t = m0 + 1.2
    out = [(t, L.syslog(scn, t, host, f"CROND[{p}]", "(root) CMD (run-parts /etc/cron.hourly)")),
           (t + 0.05, L.syslog(scn, t + 0.05, host, f"run-parts[{p + 2}]", "(/etc/cron.hourly) starting logrotate"))]
    if broken:
        for i, f in enumerate(["/var/log/nginx/access.log", "/var/log/nginx/error.log"]):
            out.append((t + 0.2 + i * 0.01, L.syslog(scn, t + 0.2, host, f"logrotate[{p + 5}]",
                        f'error: skipping "{f}" because parent directory has insecure permissions (It\'s world '
                        'writable or writable by group which is not "root") Set "su" directive in config file to '
                        'tell logrotate which user/group should be used for rotation.')))
        out.append((t + 0.3, L.syslog(scn, t + 0.3, host, f"run-parts[{p + 7}]",
                    "(/etc/cron.hourly) finished logrotate")))
    else:
        out.append((t + 2.4, L.syslog(scn, t + 2.4, host, f"run-parts[{p + 7}]",
                    "(/etc/cron.hourly) finished logrotate")))
    return out
