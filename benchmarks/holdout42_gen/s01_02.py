"""h42-01 (Rails on ECS, bad deploy) and h42-02 (Python Lambda, env var renamed)."""
from __future__ import annotations

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, apigw_metrics, arrivals, at,
                     change, ecs_metrics, expect, iso_ms, lambda_invoke, lambda_metrics,
                     lambda_stream_name, rds_metrics, scenario_doc, series, step, wave, ramp)

GB = 1024 ** 3

# ------------------------------------------------------------------ h42-01
SCANNER_PATHS = ["/wp-login.php", "/.env", "/wp-admin/setup-config.php", "/phpmyadmin/index.php",
                 "/.git/config", "/xmlrpc.php", "/actuator/health", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"]
SLUGS = ["linen-shirt-blue", "merino-crew-grey", "chino-slim-olive", "oxford-shirt-white", "denim-jacket-indigo",
         "wool-scarf-rust", "canvas-tote-natural", "trail-runner-black", "rain-shell-navy", "cord-trousers-tan",
         "gift-card-50", "cashmere-beanie-oat", "selvedge-jeans-raw", "puffer-vest-forest"]
NO_PRICE = {"gift-card-50", "cashmere-beanie-oat", "puffer-vest-forest", "wool-scarf-rust"}  # price lists pending


def _rails_ts(anchor, t):
    d = at(anchor, t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _rails(anchor, t, lvl, msg):
    letter = lvl[0]
    return f"{letter}, [{_rails_ts(anchor, t)} #1] {lvl.rjust(5)} -- : {msg}"


def _rails_request(st, rng, anchor, t, new_code):
    rid = rng.uuid()
    ip = rng.pub_ip()
    ts_h = at(anchor, t).strftime("%Y-%m-%d %H:%M:%S +0000")
    r = rng.random()
    if r < 0.42:
        slug = rng.choice(SLUGS)
        path, ctrl, params = f"/products/{slug}", "ProductsController#show", f'{{"slug"=>"{slug}"}}'
    elif r < 0.62:
        c = rng.choice(["new-in", "shirts", "outerwear", "accessories", "sale"])
        path, ctrl, params, slug = f"/collections/{c}", "CollectionsController#show", f'{{"handle"=>"{c}"}}', None
    elif r < 0.72:
        path, ctrl, params, slug = "/cart", "CartsController#show", None, None
    elif r < 0.82:
        path, ctrl, params, slug = "/", "HomeController#index", None, None
    else:
        q = rng.choice(["linen", "navy jacket", "scarf", "jeans", "gift"])
        path, ctrl, params, slug = f"/search?q={q.replace(' ', '+')}", "SearchController#index", f'{{"q"=>"{q}"}}', None
    st.add(t, _rails(anchor, t, "INFO", f'[{rid}] Started GET "{path}" for {ip} at {ts_h}'))
    st.add(t + 0.001, _rails(anchor, t + 0.001, "INFO", f"[{rid}] Processing by {ctrl} as HTML"))
    if params:
        st.add(t + 0.002, _rails(anchor, t + 0.002, "INFO", f"[{rid}]   Parameters: {params}"))
    if new_code and slug in NO_PRICE:
        dur = rng.uniform(18, 45)
        te = t + dur / 1000
        st.add(te, _rails(anchor, te, "INFO", f"[{rid}] Completed 500 Internal Server Error in {dur:.0f}ms "
                                               f"(ActiveRecord: {dur * 0.3:.1f}ms | Allocations: {rng.randint(6000, 9800)})"))
        st.add(te + 0.001, _rails(anchor, te + 0.001, "FATAL", f"[{rid}]   "))
        for i, line in enumerate([
                f"[{rid}] NoMethodError (undefined method `amount_cents' for nil):",
                f"[{rid}]   ",
                f"[{rid}] app/models/product.rb:88:in `display_price'",
                f"[{rid}] app/presenters/product_presenter.rb:31:in `price_badge'",
                f"[{rid}] app/controllers/products_controller.rb:19:in `show'"]):
            st.add(te + 0.002 + i * 0.0001, line)
        return
    if rng.random() < 0.06:
        st.add(t + 0.004, _rails(anchor, t + 0.004, "WARN",
                                 "DEPRECATION WARNING: Using a :default format for Date#to_s is deprecated. Please use "
                                 "Date#to_fs instead. (called from block in <class:ProductPresenter> at "
                                 "/rails/app/presenters/product_presenter.rb:12)"))
    dur = rng.lognormvariate(3.7, 0.45)
    te = t + dur / 1000
    st.add(te, _rails(anchor, te, "INFO", f"[{rid}] Completed 200 OK in {dur:.0f}ms (Views: {dur * 0.55:.1f}ms | "
                                           f"ActiveRecord: {dur * 0.25:.1f}ms | Allocations: {rng.randint(12000, 41000)})"))


def _rails_scanner(st, rng, anchor, t):
    rid, p = rng.uuid(), rng.choice(SCANNER_PATHS)
    ts_h = at(anchor, t).strftime("%Y-%m-%d %H:%M:%S +0000")
    st.add(t, _rails(anchor, t, "INFO", f'[{rid}] Started GET "{p}" for {rng.choice(["45.148.10.91", "185.220.101.7", "193.41.206.44"])} at {ts_h}'))
    st.add(t + 0.002, _rails(anchor, t + 0.002, "FATAL", f"[{rid}]   "))
    st.add(t + 0.0021, f'[{rid}] ActionController::RoutingError (No route matches [GET] "{p}"):')
    st.add(t + 0.0022, f"[{rid}]   ")


def _puma_boot(st, anchor, t, release, rev):
    lines = ["=> Booting Puma", "=> Rails 7.1.3.4 application starting in production ",
             "=> Run `bin/rails server --help` for more startup options",
             "[1] Puma starting in cluster mode...",
             '[1] * Puma version: 6.4.2 (ruby 3.3.4-p94) ("The Eagle of Durango")',
             "[1] *  Min threads: 5", "[1] *  Max threads: 5", "[1] *  Environment: production",
             "[1] *   Master PID: 1", "[1] *      Workers: 2", "[1] *     Restarts: (\u2714) hot (\u2716) phased",
             "[1] * Preloading application", "[1] * Listening on http://0.0.0.0:3000",
             "[1] Use Ctrl-C to stop", "[1] - Worker 0 (PID: 14) booted in 0.02s, phase: 0",
             "[1] - Worker 1 (PID: 17) booted in 0.02s, phase: 0"]
    for i, ln in enumerate(lines):
        st.add(t + i * 0.05, ln)
    t2 = t + 1.2
    st.add(t2, _rails(anchor, t2, "INFO", f"storefront booted release={release} revision={rev} env=production"))


def h42_01():
    rng = Rng(4201)
    anchor = anchor_dt(2026, 11, 17, 19, 40)
    region = "us-east-1"
    lb = "app/storefront-alb/7f3a1c92be4d5e06"
    svc, cluster = "storefront-web", "storefront"
    t_reg, t_upd, onset, full = -2580, -2560, -2470, -2330
    new_frac = lambda t: ramp(t, onset, full, 0.0, 1.0)  # noqa: E731

    req = series(rng, lambda t: 1400 * wave(t, 10800, 0.12), integer=True)
    prod_share = 0.42 * len(NO_PRICE) / len(SLUGS)
    t5 = series(rng, lambda t: 0.4 + 1400 * wave(t, 10800, 0.12) * prod_share * new_frac(t), integer=True)
    metrics = alb_metrics(
        lb, req,
        series(rng, lambda t: 0.072 * wave(t, 5400, 0.05), noise=0.07, nd=4),
        t5,
        series(rng, lambda t: 0.08, integer=True),
        series(rng, lambda t: 36 * wave(t, 3600, 0.2), integer=True),
        series(rng, lambda t: 6 if -2520 <= t < -2300 else 4, noise=0, nd=0),
        series(rng, lambda t: 0, noise=0, nd=0))
    metrics += ecs_metrics(cluster, svc,
                           series(rng, lambda t: 31 * wave(t, 10800, 0.1) + (8 if -2520 <= t < -2380 else 0), noise=0.07),
                           series(rng, lambda t: step(t, -2400, ramp(t, -21600, -2400, 52, 61), ramp(t, -2400, 0, 44, 49)), noise=0.02))
    metrics += rds_metrics("storefront-pg",
                           series(rng, lambda t: 22 * wave(t, 10800, 0.1), noise=0.08),
                           series(rng, lambda t: 84, integer=True),
                           series(rng, lambda t: 131.2 * GB - (t + 21600) * 9000, noise=0.0005, nd=0),
                           series(rng, lambda t: 0.0011, noise=0.15, nd=5),
                           series(rng, lambda t: 0.0019, noise=0.15, nd=5),
                           series(rng, lambda t: 6.1 * GB, noise=0.01, nd=0))
    # decoy lambda, redeployed four hours ago, healthy ever since
    runs = [t for t in range(-21600, 0, 60) if (t // 60) % 30 == 7]
    metrics += lambda_metrics("sitemap-builder",
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 41000, noise=0.08, nd=2) if p[0] in runs],
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0))

    logs = []
    old = [Stream("/ecs/storefront-web", f"web/web/{rng.hexs(32)}") for _ in range(2)]
    new = [Stream("/ecs/storefront-web", f"web/web/{rng.hexs(32)}") for _ in range(2)]
    for i, st in enumerate(old):
        stop = -2360 + i * 40
        for t in arrivals(rng, -6300, stop, lambda t: 0.2):
            _rails_request(st, rng, anchor, t, False)
        for t in arrivals(rng, -6300, stop, lambda t: 1 / 150):
            _rails_scanner(st, rng, anchor, t)
        st.add(stop + 1, "[1] - Gracefully shutting down workers...")
        st.add(stop + 3, f"[1] === puma shutdown: {at(anchor, stop + 3).strftime('%Y-%m-%d %H:%M:%S +0000')} ===")
        st.add(stop + 3.1, "[1] - Goodbye!")
    for i, st in enumerate(new):
        boot = -2510 + i * 30
        _puma_boot(st, anchor, boot, "2026.11.17-2", "8c41d2e")
        for t in arrivals(rng, boot + 20, 0, lambda t: 0.2):
            _rails_request(st, rng, anchor, t, True)
        for t in arrivals(rng, boot + 20, 0, lambda t: 1 / 150):
            _rails_scanner(st, rng, anchor, t)
    logs += old + new
    sm = Stream("/aws/lambda/sitemap-builder", lambda_stream_name(anchor, rng))
    for t in runs:
        if t < -10800:
            continue
        rid = rng.uuid()
        dur = rng.uniform(36000, 46000)
        body = [(0.4, f"I, [{_rails_ts(anchor, t + 0.4)} #8] INFO -- : sitemap: loading published products"),
                (dur / 1000 - 1, f"I, [{_rails_ts(anchor, t + dur / 1000 - 1)} #8] INFO -- : sitemap: wrote "
                                 f"{rng.randint(18100, 18300)} urls to s3://acme-storefront-public/sitemaps/sitemap.xml.gz")]
        lambda_invoke(sm, t + rng.uniform(0.1, 2), rid, dur, 1024, rng.randint(310, 360), body)
    logs.append(sm)

    changes = [change(-14420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                      "sitemap-builder", "github-actions-deploy"),
               change(t_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                      "storefront-web", "github-actions-deploy"),
               change(t_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
                      "storefront/storefront-web", "github-actions-deploy")]
    al = alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
               {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold", t5, anchor,
               "Storefront ALB: targets returning 5xx")
    resources = [
        {"type": "ecs", "id": "storefront/storefront-web",
         "properties": {"cluster": cluster, "service": svc, "launch_type": "FARGATE", "desired_count": 4,
                        "task_cpu": 1024, "task_memory": 2048, "task_definition": "storefront-web:219",
                        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-web:2026.11.17-2",
                        "log_groups": ["/ecs/storefront-web"], "load_balancer": "storefront-alb"}},
        {"type": "alb", "id": lb, "properties": {"name": "storefront-alb", "scheme": "internet-facing"}},
        {"type": "rds", "id": "storefront-pg", "properties": {"engine": "postgres", "engine_version": "15.7",
                                                               "instance_class": "db.r6g.large", "max_connections": 1000,
                                                               "allocated_storage_gb": 200}},
        {"type": "lambda", "id": "sitemap-builder", "properties": {"runtime": "ruby3.3", "timeout": 300,
                                                                    "memory_size": 1024}},
    ]
    doc = scenario_doc("h42-01-rails-storefront-deploy",
                       "Storefront product pages returning 500s for part of the catalogue; ALB target 5xx alarm paged.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "bad_deployment", ["storefront/storefront-web", "storefront-web"],
                              [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "bad_deployment",
            "resources": ["storefront/storefront-web", "storefront-web"], "where": "front (ALB)",
            "decoys": "scanner RoutingError FATALs (404) before and after; steady Rails DEPRECATION WARNING; "
                      "sitemap-builder Lambda redeployed 4 h earlier and healthy",
            "story": "A new storefront-web task definition (image 2026.11.17-2) is registered and rolled out by CI about "
                     "43 minutes ago. As the new tasks take traffic, Rails logs multi-line FATAL entries whose exception "
                     "line (`NoMethodError (undefined method `amount_cents' for nil)` in `Product#display_price`) sits on "
                     "the line after the FATAL header; this signature never appears in the old tasks' streams, which only "
                     "show the scanners' `ActionController::RoutingError` FATALs that continue at the same rate after the "
                     "deploy. The ALB 5xx alarm is on the front; the fault is the deployed ECS service. Nothing else "
                     "(RDS, CPU, memory) moves, so the deployment is the trigger -> bad_deployment."}
    return "h42-01-rails-storefront-deploy", doc, meta


# ------------------------------------------------------------------ h42-02
def _py_tb_config(rid, ts):
    return (f"[ERROR]\t{ts}\t{rid}\tPOST /v1/entries failed\n"
            "Traceback (most recent call last):\n"
            '  File "/var/task/ledger/config.py", line 27, in table_name\n'
            '    return os.environ[name]\n'
            '           ~~~~~~~~~~^^^^^^\n'
            '  File "<frozen os>", line 714, in __getitem__\n'
            "KeyError: 'LEDGER_TABLE_NAME'\n\n"
            "During handling of the above exception, another exception occurred:\n\n"
            "Traceback (most recent call last):\n"
            '  File "/var/task/ledger/handler.py", line 64, in lambda_handler\n'
            "    return ROUTES[route](event, context)\n"
            "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/var/task/ledger/routes/entries.py", line 41, in create_entry\n'
            "    table = _ddb.Table(config.table_name())\n"
            "                       ^^^^^^^^^^^^^^^^^^^\n"
            '  File "/var/task/ledger/config.py", line 29, in table_name\n'
            '    raise ConfigurationError(f"{name} is not set in the function environment")\n'
            "ledger.errors.ConfigurationError: LEDGER_TABLE_NAME is not set in the function environment")


def h42_02():
    rng = Rng(4202)
    anchor = anchor_dt(2026, 11, 18, 10, 25)
    region = "eu-west-1"
    fn, api = "ledger-api", "ledger-public-api"
    t_cfg = -2220
    onset = t_cfg + 8
    rate = lambda t: 52 * wave(t, 9000, 0.15)  # noqa: E731  requests / minute
    broken = 0.88  # share of routes that touch the table

    count = series(rng, rate, integer=True)
    e5 = series(rng, lambda t: 0.2 + (rate(t) * broken if t >= onset else 0), integer=True)
    metrics = apigw_metrics(api, count, series(rng, lambda t: 1.6, integer=True), e5,
                            series(rng, lambda t: step(t, onset, 142, 38), noise=0.12, nd=1),
                            series(rng, lambda t: step(t, onset, 121, 19), noise=0.12, nd=1))
    metrics += lambda_metrics(fn, series(rng, rate, integer=True),
                              series(rng, lambda t: 0.05, integer=True),
                              series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: step(t, onset, 118, 14), noise=0.12, nd=2),
                              series(rng, lambda t: step(t, onset, 3.2, 1.4), noise=0.2, nd=0))
    runs = set(range(-21600, 0, 300))
    metrics += lambda_metrics("fx-rates-sync", series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: step(t, -5700, 2300, 1900), noise=0.1, nd=2) if p[0] in runs],
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0))

    logs = []
    start = -4800
    old = [Stream(f"/aws/lambda/{fn}", lambda_stream_name(anchor, rng)) for _ in range(3)]
    new = [Stream(f"/aws/lambda/{fn}", lambda_stream_name(anchor, rng)) for _ in range(3)]
    cold = set()
    for t in arrivals(rng, start, 0, lambda t: rate(t) / 60 * 0.5):
        after = t >= onset
        pool = new if after else old
        st = rng.choice(pool)
        init = None
        if after and id(st) not in cold:
            cold.add(id(st))
            st.add(t - 0.6, "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:"
                            "eu-west-1::runtime:7b620fc2e66107a1046b140b9d320295811af3ad5d4c6a011fad1fa65127e9e6")
            init = rng.uniform(780, 1020)
        rid = rng.uuid()
        ts = iso_ms(anchor, t + 0.002)
        r = rng.random()
        if r < 0.07:
            body = [(0.002, f"[INFO]\t{ts}\t{rid}\tGET /v1/health ok")]
            lambda_invoke(st, t, rid, rng.uniform(2, 5), 512, rng.randint(88, 96), body, init_ms=init)
            continue
        route = "POST /v1/entries" if r < 0.62 else "GET /v1/accounts/{id}/balance"
        body = []
        if rng.random() < 0.05 and route.startswith("POST"):
            body.append((0.001, f"[WARNING]\t{ts}\t{rid}\tIdempotency-Key header missing on POST /v1/entries "
                                f"from client=legacy-pos-v2; processing without idempotency"))
        if after:
            tb = _py_tb_config(rid, iso_ms(anchor, t + 0.006))
            if route.startswith("GET"):
                tb = tb.replace("POST /v1/entries failed", "GET /v1/accounts/{id}/balance failed") \
                       .replace("routes/entries.py\", line 41, in create_entry", "routes/balances.py\", line 23, in get_balance")
            body.append((0.006, tb))
            body.append((0.007, f"[INFO]\t{iso_ms(anchor, t + 0.007)}\t{rid}\t{route} -> 500 in {rng.randint(6, 14)} ms"))
            lambda_invoke(st, t, rid, rng.uniform(8, 18), 512, rng.randint(92, 101), body, init_ms=init)
        else:
            d = rng.lognormvariate(4.7, 0.35)
            acct = f"acc_{rng.randint(100000, 999999)}"
            if route.startswith("POST"):
                body.append((d / 1000 - 0.002, f"[INFO]\t{iso_ms(anchor, t + d / 1000)}\t{rid}\tentry "
                                               f"{rng.hexs(12)} posted account={acct} amount={rng.randint(100, 990000) / 100:.2f} "
                                               f"currency={rng.choice(['EUR', 'GBP', 'PLN', 'EUR'])}"))
            body.append((d / 1000 - 0.001, f"[INFO]\t{iso_ms(anchor, t + d / 1000)}\t{rid}\t{route} -> "
                                           f"{'201' if route.startswith('POST') else '200'} in {d:.0f} ms"))
            lambda_invoke(st, t, rid, d + 3, 512, rng.randint(101, 128), body)
    logs += [s for s in old + new if s.events]
    fx = Stream("/aws/lambda/fx-rates-sync", lambda_stream_name(anchor, rng))
    fx2 = Stream("/aws/lambda/fx-rates-sync", lambda_stream_name(anchor, rng))
    for t in sorted(runs):
        if t < -10800:
            continue
        st = fx if t < -5700 else fx2
        rid = rng.uuid()
        d = rng.uniform(1700, 2600)
        ts = iso_ms(anchor, t + 1.5)
        body = [(1.5, f"[INFO]\t{ts}\t{rid}\tfetched 34 rates from ECB reference feed; wrote 34 items to fx-rates")]
        lambda_invoke(st, t + 0.3, rid, d, 256, rng.randint(79, 86), body)
    logs += [fx, fx2]

    changes = [change(-5710, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                      "fx-rates-sync", "gitlab-ci-deployer"),
               change(-5695, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                      "fx-rates-sync", "gitlab-ci-deployer"),
               change(t_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                      fn, "m.kowalczyk@acme-finance.eu")]
    al = alarm("ledger-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
               "GreaterThanThreshold", e5, anchor, "Ledger public API server errors")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512,
                                                     "handler": "ledger.handler.lambda_handler",
                                                     "environment_keys": ["LEDGER_TABLE", "FX_RATES_TABLE", "LOG_LEVEL",
                                                                          "POWERTOOLS_SERVICE_NAME"]}},
        {"type": "apigateway", "id": api, "properties": {"stage": "prod", "integration": "lambda-proxy"}},
        {"type": "lambda", "id": "fx-rates-sync", "properties": {"runtime": "python3.12", "timeout": 60,
                                                                  "memory_size": 256}},
    ]
    doc = scenario_doc("h42-02-ledger-env-var-renamed",
                       "Ledger public API returning 500s to point-of-sale clients; API Gateway 5XX alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "config_change", [fn],
                              [("AWS/ApiGateway", "5XXError", {"ApiName": api})]))
    meta = {"region": region, "alarm": al["name"], "category": "config_change", "resources": [fn],
            "where": "front (API Gateway)",
            "decoys": "fx-rates-sync code deploy 95 min earlier (healthy); steady Idempotency-Key WARNING; Lambda "
                      "Errors metric stays flat because the handler catches and returns 500",
            "story": "Someone edits ledger-api's configuration in the console (UpdateFunctionConfiguration, 37 min ago); the "
                     "function's environment now has LEDGER_TABLE instead of LEDGER_TABLE_NAME. From the next cold starts "
                     "every table-backed route logs a chained Python traceback: KeyError 'LEDGER_TABLE_NAME', then 'During "
                     "handling of the above exception, another exception occurred', then ConfigurationError naming the "
                     "missing setting. The handler catches it and returns 500, so Lambda Errors stays flat while API "
                     "Gateway 5XXError climbs and Duration drops. A config change right before onset plus errors naming "
                     "the missing setting -> config_change on ledger-api."}
    return "h42-02-ledger-env-var-renamed", doc, meta
