"""h59-01 (one ALB target's disk fills up) and h59-02 (one tenant loses its shard mapping)."""
from __future__ import annotations

from . import kit
from .common import Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, jline, nginx


# =========================================================================== h59-01
def s01() -> Scenario:
    sc = Scenario(1, "storefront-target-5xx", "Storefront 5xx alarm on the public load balancer; "
                  "a few customers report failed logins and carts that will not save.",
                  "eu-west-1", 5901, "2026-04-14T10:42:00")
    lb = "app/shop-eu/3f9a1c0d7be24e51"
    hosts = [("i-0f31a2c9d84b17e06", "shop-web-1", "eu-west-1a", "10.40.1.27"),
             ("i-05c8e7d13a9f2b441", "shop-web-2", "eu-west-1b", "10.40.2.91"),
             ("i-0b7d4e21f6c93a8d5", "shop-web-3", "eu-west-1c", "10.40.3.14"),
             ("i-09e2a6b5c1d7f3048", "shop-web-4", "eu-west-1a", "10.40.1.160")]
    bad = hosts[2][0]
    full = -2100  # root volume of shop-web-3 reaches 100 %
    sc.resource("alb", lb, name="shop-eu", scheme="internet-facing",
                target_group="tg-shop-eu-php", health_check="/healthz")
    for iid, name, az, ip in hosts:
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", availability_zone=az,
                    private_ip=ip, root_volume_gb=30,
                    log_groups=["/shop/nginx/access", "/shop/php-fpm/error", "/shop/syslog"])
    sc.resource("lambda", "shop-feed-sync", runtime="python3.12", timeout=300, memory_size=1024)

    load = lambda t: 1600 * diurnal(sc, t, peak_hour=13.0, amp=0.3)
    req = sc.series(load, integer=True, noise=0.03)
    share_bad = lambda t: 0.25 * 0.45 * ramp(t, full - 60, full + 120)
    t5 = sc.series(lambda t: 0.6 + load(t) * share_bad(t), integer=True, noise=0.08)
    rt = sc.series(lambda t: 0.118 + 0.04 * ramp(t, full, full + 300), noise=0.07)
    kit.alb_metrics(sc, lb, req, t5, rt, t4xx=sc.series(lambda t: 14 + 0.004 * load(t),
                                                         integer=True),
                    healthy=[4.0] * len(req), unhealthy=[0.0] * len(req))
    for k, (iid, name, az, ip) in enumerate(hosts):
        spike = (lambda t: bump(t, -1500, -960, 55.0, 180)) if k == 0 else (lambda t: 0.0)
        cpu = sc.series(lambda t, s=spike: 24 * diurnal(sc, t, 13.0, 0.3) + s(t), noise=0.09,
                        cap=99.0)
        if iid == bad:
            disk = sc.series(lambda t: min(100.0, 62.0 + 38.0 * (t + 21600) / (21600 + full)),
                             noise=0.0005, cap=100.0, digits=2)
        else:
            base = [44.1, 47.8, 0, 41.3][k]
            disk = sc.series(lambda t, b=base: b + 0.3 * (t + 21600) / 21600, noise=0.001,
                             digits=2)
        mem = sc.series(lambda t: 58.0 + 4 * k, noise=0.02)
        kit.ec2_metrics(sc, iid, cpu, mem=mem, disk=disk)
    # the feed-sync lambda: a quiet, healthy neighbour
    inv = sc.series(lambda t: 1.0 if int(t) % 900 == 0 else 0.0, integer=True, noise=0.0)
    kit.lambda_metrics(sc, "shop-feed-sync", inv, [0.0] * len(inv),
                       sc.series(lambda t: 41000.0, noise=0.1))

    # ---------------------------------------------------------------- logs
    paths_ok = [(30, "GET", "/product/{}"), (14, "GET", "/category/{}"), (10, "GET", "/search?q={}"),
                (8, "GET", "/"), (6, "POST", "/cart/add"), (4, "GET", "/cart"),
                (3, "POST", "/account/login"), (2, "POST", "/checkout/confirm")]
    writes = {"/cart/add", "/cart", "/account/login", "/checkout/confirm"}
    uas = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/123.0",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/17.4"]
    for iid, name, az, ip in hosts:
        def access(t, iid=iid):
            method, path = kit.pick(sc, [(w, (m, p)) for w, m, p in paths_ok])
            path = path.format(sc.rng.randint(1000, 99999))
            status, size, rtime = 200, sc.rng.randint(2400, 48000), sc.rng.uniform(0.03, 0.25)
            if method == "POST" and path != "/account/login":
                status, size = 302, 0
            if iid == bad and t >= full and (path in writes or sc.rng.random() < 0.1):
                status, size, rtime = 500, 0, sc.rng.uniform(0.005, 0.04)
            return nginx(sc, t, sc.ip("10.40"), method, path, status, size, rtime,
                         ua=sc.rng.choice(uas))
        kit.events(sc, "/shop/nginx/access", iid, lambda t: 2.2, access)
        kit.events(sc, "/shop/nginx/access", iid, lambda t: 0.12, lambda t: nginx(
            sc, t, f"185.220.{sc.rng.randint(1, 254)}.{sc.rng.randint(1, 254)}", "GET",
            sc.rng.choice(["/wp-login.php", "/.env", "/xmlrpc.php"]), 404, 162, 0.002,
            ua="python-requests/2.31"))
        kit.events(sc, "/shop/nginx/access", iid, lambda t: 0.03, lambda t: nginx(
            sc, t, sc.ip("10.40"), "GET", "/legacy/export.php?fmt=csv", 500, 0, 0.41,
            ua="ShopAdmin/2.3"))

        def php(t, kind="dep"):
            d = sc.at(t).strftime("%d-%b-%Y %H:%M:%S")
            if kind == "dep":
                return (f"[{d} UTC] PHP Deprecated:  Creation of dynamic property "
                        f"App\\Legacy\\ExportRow::$vat_code is deprecated in "
                        f"/srv/shop/src/Legacy/ExportRow.php on line 88")
            if kind == "legacy":
                return (f"[{d} UTC] PHP Fatal error:  Uncaught TypeError: fputcsv(): Argument #2 "
                        f"($fields) must be of type array, null given in "
                        f"/srv/shop/src/Legacy/export.php:57")
            sid = sc.hexid(26)
            return sc.rng.choice([
                f"[{d} UTC] PHP Warning:  session_start(): open(/var/lib/php/sessions/sess_{sid}, "
                f"O_RDWR) failed: No space left on device (28) in "
                f"/srv/shop/vendor/symfony/http-foundation/Session/Storage/NativeSessionStorage.php"
                f" on line 148",
                f"[{d} UTC] PHP Fatal error:  Uncaught ErrorException: file_put_contents("
                f"/srv/shop/var/cache/prod/cart/{sid}.php): Failed to open stream: No space left on "
                f"device in /srv/shop/vendor/symfony/cache/Adapter/PhpFilesAdapter.php:255",
                f"[{d} UTC] PHP Warning:  Unknown: write failed: No space left on device (28) in "
                f"Unknown on line 0"])
        kit.events(sc, "/shop/php-fpm/error", iid, lambda t: 0.25, php)
        kit.events(sc, "/shop/php-fpm/error", iid, lambda t: 0.03, lambda t: php(t, "legacy"))
        if iid == bad:
            kit.events(sc, "/shop/php-fpm/error", iid, lambda t: 1.6, lambda t: php(t, "enospc"),
                       start=full)
    syslog = lambda t, host, msg: f"{sc.at(t).strftime('%b %d %H:%M:%S')} {host} {msg}"
    for iid, name, az, ip in hosts:
        host = "ip-" + ip.replace(".", "-")
        kit.periodic(sc, "/shop/syslog", iid, 3600, lambda t, h=host: syslog(
            t, h, f"CROND[{sc.rng.randint(2000, 30000)}]: (root) CMD (run-parts /etc/cron.hourly)"))
        if iid == bad:
            for t in (-13700, -10100, -6500, -2900):
                sc.log("/shop/syslog", iid, t, syslog(
                    t, host, "logrotate[%d]: error: skipping \"/var/log/shop/trace.log\" because "
                    "parent directory has insecure permissions (It's world writable or writable by "
                    "group which is not \"root\") Set \"su\" directive in config file to tell "
                    "logrotate which user/group should be used for rotation." % sc.rng.randint(
                        2000, 30000)))
            sc.log("/shop/syslog", iid, full + 40, syslog(
                full + 40, host, "rsyslogd[1122]: file '/var/log/messages': write error: "
                "No space left on device [v8.2102.0-13.amzn2023 try https://www.rsyslog.com/e/2027 ]"))
            kit.events(sc, "/shop/syslog", iid, lambda t: 0.2, lambda t: syslog(
                t, host, f"php-fpm[{sc.rng.randint(3000, 3100)}]: [WARNING] [pool www] child "
                f"{sc.rng.randint(20000, 40000)} said into stderr: \"write failed: No space left on "
                f"device\""), start=full)

    # ---------------------------------------------------------------- alarms/changes
    sc.alarm("shop-eu-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 5, 40, "GreaterThanThreshold",
             "Storefront target 5xx")
    sc.alarm("shop-web-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": hosts[0][0]},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "shop-feed-sync", "gitlab-runner-deploy")
    sc.change(-2280, "elasticloadbalancing.amazonaws.com", "ModifyListener",
              "AWS::ElasticLoadBalancingV2::Listener", "shop-eu", "k.brennan")
    sc.change(-2250, "elasticloadbalancing.amazonaws.com", "CreateRule",
              "AWS::ElasticLoadBalancingV2::ListenerRule", "shop-eu", "k.brennan")
    kit.check_alarm(sc, "shop-eu-target-5xx", latest=-1500, earliest=full)
    sc.expect = {"alarm": "shop-eu-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [bad, "shop-web-3"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": bad, "path": "/",
                                               "device": "nvme0n1p1", "fstype": "xfs"}}]}
    return sc


# =========================================================================== h59-02
def s02() -> Scenario:
    sc = Scenario(2, "partner-gateway-one-tenant", "Partner gateway 5xx alarm; one partner "
                  "says their nightly sync is being rejected.", "us-west-2", 5902,
                  "2026-05-06T17:20:00")
    api, fn, other = "partner-gw", "route-resolver", "invoice-pdf"
    cfg = -3300          # UpdateFunctionConfiguration on route-resolver
    win = [(-7200, -6000), (-2700, 0)]  # northwind's sync windows
    nw = lambda t: 14.0 if any(a <= t < b for a, b in win) else 0.0
    sc.resource("apigateway", api, rest_api_id="k3x9q2w7ta", stage="prod",
                endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512,
                environment=["LOG_LEVEL", "TENANT_SHARD_MAP", "UPSTREAM_TIMEOUT_MS"])
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=60, memory_size=1536)
    base = lambda t: 110 * diurnal(sc, t, 18.0, 0.25)
    inv = sc.series(lambda t: base(t) + nw(t), integer=True, noise=0.03)
    err = sc.series(lambda t: nw(t) if t >= cfg else 0.0, integer=True, noise=0.05)
    dur = sc.series(lambda t: 95.0 + 30 * bump(t, cfg, cfg + 240, 1.0, 30), noise=0.1)
    kit.lambda_metrics(sc, fn, inv, err, dur)
    e4 = sc.series(lambda t: 3.0, integer=True)
    kit.apigw_metrics(sc, api, [i + x for i, x in zip(inv, e4)], e4, list(err),
                      sc.series(lambda t: 128.0, noise=0.1), sc.series(lambda t: 104.0, noise=0.1))
    oinv = sc.series(lambda t: 4.0 * diurnal(sc, t, 18.0, 0.3), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(oinv),
                       sc.series(lambda t: step(t, -2820, 2300.0, 2050.0), noise=0.12))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, retire=[cfg], mem_used=(118, 9))
    tenants = [(35, "acme"), (25, "globex"), (20, "initech"), (12, "umbrella")]

    def body(ll, t, rid, is_err, cold):
        p = nw(t) / (base(t) + nw(t))
        tenant = "northwind" if is_err or (t < cfg and sc.rng.random() < p) else \
            kit.pick(sc, tenants)
        j = lambda lvl, msg, **kw: (0.004, jline({"level": lvl, "timestamp": sc.iso(t),
                                                  "service": fn, "requestId": rid,
                                                  "tenant": tenant, "msg": msg, **kw}))
        init = []
        if cold:
            src = ("env:TENANT_SHARD_MAP", 4) if t >= cfg else ("ssm:/partner-gw/tenant-shards", 5)
            init = [(0.01, jline({"level": "info", "timestamp": sc.iso(t - 0.2), "service": fn,
                                  "msg": "loaded tenant shard map", "source": src[0],
                                  "tenants": src[1]}))]
        lines = [j("info", "resolve route", path=f"/v2/{tenant}/orders/sync",
                   method=sc.rng.choice(["GET", "POST"]))]
        if tenant == "acme" and sc.rng.random() < 0.2:
            lines.append(j("warn", "upstream quota above 80%", quotaUsed=round(
                sc.rng.uniform(0.8, 0.9), 3)))
        if is_err:
            msg = f"TENANT_SHARD_MAP has no entry for tenant '{tenant}'"
            lines.append((0.02, f"{sc.iso(t + 0.02)}\t{rid}\tERROR\tInvoke Error \t" + jline({
                "errorType": "ConfigError", "errorMessage": msg, "stack": [
                    f"ConfigError: {msg}", "    at resolveShard (/var/task/src/shards.js:41:11)",
                    "    at Runtime.handler (/var/task/src/index.js:27:19)"]})))
            return {"lines": lines, "dur": sc.rng.uniform(8, 25), "init_lines": init}
        lines.append(j("info", "routed", shard=f"shard-{sc.rng.randint(1, 6)}",
                       upstreamMs=sc.rng.randint(40, 140)))
        return {"lines": lines, "dur": sc.rng.gauss(95, 20), "init_lines": init}
    li, le = kit.sample_invocations(sc, inv, err, 0.025)
    ll.run(li, le, body)
    ol = LambdaLogs(sc, other, "nodejs20.x", 1536, 60, retire=[-2820], mem_used=(610, 40))
    oi, oe = kit.sample_invocations(sc, oinv, [0.0] * len(oinv), 0.25)
    ol.run(oi, oe, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(2200, 250), "lines": [
        (1.9, f"{sc.iso(t + 1.9)}\t{rid}\tINFO\trendered invoice INV-{sc.rng.randint(10 ** 6, 10 ** 7)} "
              f"pages={sc.rng.randint(1, 4)}")]})
    group = "API-Gateway-Execution-Logs_k3x9q2w7ta/prod"
    for t, n in kit.as_map(err).items():
        for _ in range(max(0, int(n * 0.4))):
            s = t + sc.rng.uniform(0, 60)
            sc.log(group, "k3x9q2w7ta-prod-0f3", s, f"({sc.uuid()}) Lambda execution failed with "
                   "status 200 due to customer function error: TENANT_SHARD_MAP has no entry for "
                   f"tenant 'northwind'. Lambda request id: {sc.uuid()}")
    kit.events(sc, group, "k3x9q2w7ta-prod-0f3", lambda t: 1.2, lambda t: (
        f"({sc.uuid()}) Method completed with status: 200"))
    kit.events(sc, group, "k3x9q2w7ta-prod-0f3", lambda t: 1.0, lambda t: (
        f"({sc.uuid()}) Unauthorized request: signature expired or invalid for key "
        f"pk_{sc.hexid(8)}"))

    sc.alarm("partner-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Partner gateway 5xx")
    sc.alarm("route-resolver-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1,
             20, "GreaterThanThreshold")
    sc.alarm("partner-gw-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 60,
             "GreaterThanThreshold")
    sc.alarm("invoice-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1,
             2, "GreaterThanThreshold")
    sc.change(-15900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gh-actions-deploy")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "alice.ng")
    sc.change(-2820, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", other, "gh-actions-deploy")
    sc.change(-2805, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              other, "gh-actions-deploy")
    kit.check_alarm(sc, "partner-gw-5xx", latest=-2400, earliest=-2700)
    sc.expect = {"alarm": "partner-gw-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    return sc
